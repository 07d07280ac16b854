from __future__ import annotations

import os
import threading
import time
import uuid
from typing import Callable, Dict, Iterator, List, Sequence, Tuple

import grpc
import pytest

import npsgrpc
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


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def assert_scores_exact(stub: nps_pb2_grpc.NpsServiceStub, plan: Sequence[Tuple[str, int]]) -> None:
    for product in sorted({p for p, _ in plan}):
        expected = expected_score([s for p, s in plan if p == product])
        score = stub.GetScore(nps_pb2.GetScoreRequest(product_id=product), timeout=10).score
        assert actual_score(score) == expected, product


class Producer:
    """Adds every (product, score) of a plan to a writer on a thread of its own, keeping what it raised."""

    def __init__(self, writer: npsgrpc.Writer, plan: Sequence[Tuple[str, int]]) -> None:
        self.errors: List[BaseException] = []
        self._thread = threading.Thread(target=self._produce, args=(writer, plan), daemon=True)
        self._thread.start()

    def _produce(self, writer: npsgrpc.Writer, plan: Sequence[Tuple[str, int]]) -> None:
        try:
            for product, score in plan:
                writer.add(product, score)
        except BaseException as error:  # surfaced by join
            self.errors.append(error)

    def join(self, timeout: float = 60.0) -> None:
        """Waits for the producer to finish; fails if it is still adding or raised."""
        self._thread.join(timeout=timeout)
        assert not self._thread.is_alive(), "the producer is still adding"
        assert self.errors == []


def records(stub: nps_pb2_grpc.NpsServiceStub, product: str, **filters: object) -> List[nps_pb2.ResponseRecord]:
    """Every record of a product matching ``filters`` (ListResponsesRequest fields), newest first, page by page."""
    found: List[nps_pb2.ResponseRecord] = []
    request = nps_pb2.ListResponsesRequest(product_id=product, page_size=1000, **filters)
    while True:
        page = stub.ListResponses(request, timeout=10)
        found.extend(page.records)
        if not page.next_page_token:
            return found
        request.page_token = page.next_page_token
