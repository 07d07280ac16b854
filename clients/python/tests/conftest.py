from __future__ import annotations

import os
import uuid
from typing import Dict, Iterator, List

import grpc
import pytest

from nps.v1 import nps_pb2, nps_pb2_grpc


@pytest.fixture(scope="session")
def address() -> str:
    value = os.environ.get("NPS_SERVER_ADDRESS")
    if not value:
        # Not a skip: a run without a live server must fail loudly. test.sh starts one when the variable is unset.
        raise RuntimeError("NPS_SERVER_ADDRESS is not set (host:port of a live NpsGrpc server); run test.sh")
    return value


@pytest.fixture(scope="session")
def channel(address: str) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(address) as ch:
        yield ch


@pytest.fixture(scope="session")
def stub(channel: grpc.Channel) -> nps_pb2_grpc.NpsServiceStub:
    return nps_pb2_grpc.NpsServiceStub(channel)


@pytest.fixture
def run_id() -> str:
    """A suffix that keeps product ids unique: the live Redis is shared with other SDKs' test runs."""
    return uuid.uuid4().hex[:12]


def expected_score(scores: List[int]) -> Dict[str, object]:
    distribution = [0] * 11
    for score in scores:
        distribution[score] += 1
    return {
        "total": len(scores),
        "promoters": distribution[9] + distribution[10],
        "passives": distribution[7] + distribution[8],
        "detractors": sum(distribution[:7]),
        "distribution": distribution,
    }


def actual_score(score: nps_pb2.Score) -> Dict[str, object]:
    return {
        "total": score.total,
        "promoters": score.promoters,
        "passives": score.passives,
        "detractors": score.detractors,
        "distribution": list(score.distribution),
    }
