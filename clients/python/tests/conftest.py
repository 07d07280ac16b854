from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterator, List, NamedTuple, Sequence, Tuple

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


class SecureServer(NamedTuple):
    """The live server's TLS + API key twin (see .ci/live-server.sh)."""

    address: str
    ca_file: str
    ca_pem: bytes
    api_key: str  # scopes submit and read


def _variables(*names: str) -> List[str]:
    values = [os.environ.get(name, "") for name in names]
    if not all(values):
        # Not a skip: a run without the TLS twin must fail loudly. test.sh starts one when the variables are unset.
        raise RuntimeError(f"{', '.join(names)} are not all set (the live server's TLS twin); run test.sh")
    return values


@pytest.fixture(scope="session")
def secure_server() -> SecureServer:
    address, ca_file, api_key = _variables("NPS_SECURE_SERVER_ADDRESS", "NPS_SECURE_SERVER_CA", "NPS_SECURE_SERVER_API_KEY")
    with open(ca_file, "rb") as ca:
        return SecureServer(address, ca_file, ca.read(), api_key)


@pytest.fixture(scope="session")
def secure_follow_up_api_key() -> str:
    """A key of the TLS twin with the follow_up scope only, what a follow-up worker needs."""
    (key,) = _variables("NPS_SECURE_SERVER_FOLLOW_UP_API_KEY")
    return key


@pytest.fixture
def foreign_ca_file(tmp_path: Path) -> str:
    """A CA certificate that did not sign the TLS twin's certificate (a misconfigured --ca-file), made with openssl."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=not-the-server-ca",
                    "-keyout", "k.pem", "-out", "ca.pem"], cwd=tmp_path, check=True, capture_output=True, timeout=60)
    return str(tmp_path / "ca.pem")


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
