"""The contract, through the raw generated stubs."""

from __future__ import annotations

import time

import grpc
import pytest

from nps.v1 import nps_pb2, nps_pb2_grpc
from npsgrpc import outcomes


def reference_responses(product_id: str):
    # The reference's worked example: 450 promoters, 300 passives, 250 detractors -> NPS 20.
    scores = [10] * 250 + [9] * 200 + [8] * 150 + [7] * 150 + [6] * 100 + [3] * 100 + [0] * 50
    return [nps_pb2.SurveyResponse(product_id=product_id, score=s) for s in scores]


def submit(stub: nps_pb2_grpc.NpsServiceStub, *requests: nps_pb2.SubmitResponsesRequest):
    return list(stub.SubmitResponses(iter(requests), timeout=30))


def test_reference_example_scores_nps_20(stub: nps_pb2_grpc.NpsServiceStub, run_id: str) -> None:
    product = f"py-contract-ref-{run_id}"
    writer = f"py-contract-{run_id}"
    responses = reference_responses(product)
    acks = submit(
        stub,
        nps_pb2.SubmitResponsesRequest(writer_id=writer, sequence=1, responses=responses[:600]),
        nps_pb2.SubmitResponsesRequest(writer_id=writer, sequence=2, responses=responses[600:]),
    )
    assert [(a.sequence, a.accepted_count, a.duplicate, len(a.rejected)) for a in acks] == [
        (1, 600, False, 0),
        (2, 400, False, 0),
    ]

    score = stub.GetScore(nps_pb2.GetScoreRequest(product_id=product), timeout=10).score
    assert score.HasField("nps")
    assert score.nps == 20
    assert (score.promoters, score.passives, score.detractors, score.total) == (450, 300, 250, 1000)
    assert list(score.distribution) == [50, 0, 0, 100, 0, 0, 100, 150, 150, 200, 250]


def test_resent_batch_is_a_duplicate_and_counted_once(stub: nps_pb2_grpc.NpsServiceStub, run_id: str) -> None:
    product = f"py-contract-dup-{run_id}"
    sequence = time.time_ns() // 1000
    batch = nps_pb2.SubmitResponsesRequest(
        writer_id=f"py-contract-dup-{run_id}",
        sequence=sequence,
        responses=[nps_pb2.SurveyResponse(product_id=product, score=s) for s in (10, 9, 5)],
    )
    first = submit(stub, batch)
    again = submit(stub, batch)  # a new stream, as after a lost acknowledgement

    assert [(a.sequence, a.accepted_count, a.duplicate) for a in first] == [(sequence, 3, False)]
    assert [(a.sequence, a.accepted_count, a.duplicate) for a in again] == [(sequence, 3, True)]
    score = stub.GetScore(nps_pb2.GetScoreRequest(product_id=product), timeout=10).score
    assert (score.total, score.promoters, score.detractors) == (3, 2, 1)


def test_score_11_is_rejected_while_the_rest_counts(stub: nps_pb2_grpc.NpsServiceStub, run_id: str) -> None:
    product = f"py-contract-bad-{run_id}"
    responses = [nps_pb2.SurveyResponse(product_id=product, score=s) for s in (9, 11, 7, 0)]
    batch = nps_pb2.SubmitResponsesRequest(writer_id=f"py-bad-{run_id}", sequence=1, responses=responses)
    (ack,) = submit(stub, batch)
    (again,) = submit(stub, batch)

    counted, rejected_, applied = (
        nps_pb2.RESPONSE_OUTCOME_COUNTED, nps_pb2.RESPONSE_OUTCOME_REJECTED, nps_pb2.RESPONSE_OUTCOME_ALREADY_APPLIED)
    assert [(o.index, o.outcome) for o in ack.other_outcomes] == [(1, rejected_)]
    assert outcomes(ack) == [counted, rejected_, counted, counted]
    assert (again.duplicate, again.already_applied_count) == (True, 3)
    assert outcomes(again) == [applied, rejected_, applied, applied]

    assert ack.accepted_count == 3
    assert not ack.duplicate
    assert len(ack.rejected) == 1
    rejected = ack.rejected[0]
    assert rejected.index == 1
    assert rejected.field == "responses[1].score"
    assert rejected.reason == nps_pb2.REJECTION_REASON_SCORE_OUT_OF_RANGE
    assert rejected.description
    score = stub.GetScore(nps_pb2.GetScoreRequest(product_id=product), timeout=10).score
    assert (score.total, score.promoters, score.passives, score.detractors) == (3, 1, 1, 1)


def test_unknown_product_is_not_found(stub: nps_pb2_grpc.NpsServiceStub, run_id: str) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetScore(nps_pb2.GetScoreRequest(product_id=f"py-never-submitted-{run_id}"), timeout=10)
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
