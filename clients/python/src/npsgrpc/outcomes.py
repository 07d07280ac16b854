"""Reads an acknowledgement's sparse outcomes back per response."""

from __future__ import annotations

from typing import List

from nps.v1 import nps_pb2


def outcomes(ack: nps_pb2.SubmitResponsesResponse) -> List[int]:
    """What each response of the acknowledged request did, in request order (``nps_pb2.ResponseOutcome`` values).

    An ack lists only the outcomes other than counted (``other_outcomes``); every other valid response was
    counted or, in a duplicate, already applied. The request's length is ``accepted_count`` plus the rejected
    responses.
    """
    fill = nps_pb2.RESPONSE_OUTCOME_ALREADY_APPLIED if ack.duplicate else nps_pb2.RESPONSE_OUTCOME_COUNTED
    result = [fill] * (ack.accepted_count + len(ack.rejected))
    for other in ack.other_outcomes:
        result[other.index] = other.outcome
    return result
