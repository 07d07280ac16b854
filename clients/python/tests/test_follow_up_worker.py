"""examples/follow_up_worker.py against the live server: it must hand every detractor of its group to its handler
and acknowledge it, also when its connection is cut while it works, and over TLS with an API key against the TLS
twin; what the server says afterwards (GetFollowUpBacklog, ListResponses) is the proof. A wrong key ends it, and so
does a CA file that did not sign the server's certificate."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import List, Optional, Tuple

import grpc

import npsgrpc
from conftest import SecureServer, records, wait_until
from nps.v1 import nps_pb2, nps_pb2_grpc
from proxy import TcpProxy

SDK = Path(__file__).resolve().parent.parent
CONSUMER = "worker-1"


class WorkerProcess:
    """The example run as the README runs it, its output read line by line while it runs."""

    def __init__(self, *args: str, api_key: Optional[str] = None) -> None:
        """Runs the worker with ``api_key`` as its NPS_API_KEY (none when None)."""
        self.lines: List[str] = []
        # Only what the test gives: a key or CA file from the developer's environment must not change the run.
        env = {name: value for name, value in os.environ.items() if name not in ("NPS_API_KEY", "NPS_SERVER_CA")}
        env["PYTHONPATH"] = str(SDK / "src")
        if api_key is not None:
            env["NPS_API_KEY"] = api_key
        self._process = subprocess.Popen(
            [sys.executable, str(SDK / "examples" / "follow_up_worker.py"), *args],
            env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def acknowledged(self) -> List[str]:
        """The records it says it acknowledged ("acknowledged product/record as CONTACTED"), in order."""
        return [m.group(1) for m in (re.match(r"^acknowledged (\S+) as CONTACTED$", line) for line in list(self.lines)) if m]

    def exit_code(self, timeout: float = 60) -> int:
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            raise AssertionError(f"the worker did not stop within {timeout} s; it printed:\n{self.output}")
        self._reader.join(timeout=10)
        return code

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def run_worker(*args: str, api_key: Optional[str] = None, timeout: float = 60) -> Tuple[WorkerProcess, int]:
    """Runs the worker until it exits by itself; returns it (its output printed for the test's log) and its exit code."""
    worker = WorkerProcess(*args, api_key=api_key)
    try:
        code = worker.exit_code(timeout)
    finally:
        worker.kill()
    print(worker.output)
    return worker, code


def worker_arguments(address: str, group: str, product: str, start: datetime.datetime, max_records: int) -> List[str]:
    return ["--address", address, "--group", group, "--consumer", CONSUMER, "--product", product,
            "--max-records", str(max_records), "--start-time", start.isoformat()]


def submit_detractors(channel: grpc.Channel, product: str, first: int, count: int) -> None:
    with npsgrpc.Writer(channel) as writer:
        for i in range(first, first + count):
            writer.add(product, i % 7, comment=f"Detractor {i}: the app crashed")


def detractor_ids(stub: nps_pb2_grpc.NpsServiceStub, product: str) -> List[str]:
    return sorted(f"{product}/{r.record_id}" for r in records(stub, product, categories=[nps_pb2.SCORE_CATEGORY_DETRACTOR]))


def assert_all_done(worker: WorkerProcess, stub: nps_pb2_grpc.NpsServiceStub, product: str, group: str, count: int) -> None:
    """The server's view: nothing waits or is in progress, every detractor is done by this worker as contacted; and
    the worker says it acknowledged exactly those."""
    detractors = detractor_ids(stub, product)
    assert len(detractors) == count
    assert sorted(set(worker.acknowledged)) == detractors
    (backlog,) = stub.GetFollowUpBacklog(nps_pb2.GetFollowUpBacklogRequest(group=group, product_ids=[product]), timeout=10).backlogs
    assert (backlog.product_id, backlog.waiting_count, backlog.in_progress_count, backlog.done_count) == (product, 0, 0, count)
    assert backlog.done_in_interval_count == count and backlog.HasField("median_time_to_done")
    for record in records(stub, product, categories=[nps_pb2.SCORE_CATEGORY_DETRACTOR]):
        assert (group, CONSUMER, nps_pb2.FOLLOW_UP_OUTCOME_CONTACTED, f"called back by {CONSUMER}") in [
            (f.group, f.consumer, f.outcome, f.note) for f in record.follow_ups], record


def test_the_worker_acknowledges_every_detractor_of_its_group_and_the_backlog_shows_them_done(
    address: str, channel: grpc.Channel, stub: nps_pb2_grpc.NpsServiceStub, run_id: str
) -> None:
    product, group = f"py-worker-{run_id}", f"py-team-{run_id}"
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    with npsgrpc.Writer(channel) as writer:
        for i in range(5):
            writer.add(product, i, comment=f"Slow checkout, try {i}")
        writer.add(product, 6)  # a detractor who wrote nothing is followed up too
        writer.add(product, 10, comment="Love it")  # recorded for its comment, not of the group's category
        writer.add(product, 8)

    worker, code = run_worker(*worker_arguments(address, group, product, start, max_records=6))

    assert code == 0, worker.output
    assert "handled 6 records" in worker.lines
    assert any(line.startswith(f"record {product}/") and line.endswith(": Slow checkout, try 3") for line in worker.lines)
    assert_all_done(worker, stub, product, group, 6)
    (promoter,) = records(stub, product, categories=[nps_pb2.SCORE_CATEGORY_PROMOTER])
    assert list(promoter.follow_ups) == []


def test_a_worker_whose_connection_is_cut_twice_resumes_and_every_record_ends_acknowledged(
    channel: grpc.Channel, stub: nps_pb2_grpc.NpsServiceStub, address: str, run_id: str
) -> None:
    wave = 10
    product, group = f"py-worker-drop-{run_id}", f"py-team-{run_id}"
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    submit_detractors(channel, product, 0, wave)
    proxy = TcpProxy(address)
    # One delivery outstanding at a time: the worker is always in the middle of something when the cut comes.
    worker = WorkerProcess(*worker_arguments(proxy.address, group, product, start, max_records=2 * wave),
                           "--max-outstanding", "1")
    try:
        wait_until(lambda: len(worker.acknowledged) >= 3, "the worker acknowledged three records", timeout=30)
        # Swallow what the server sends next (a delivery, or the answer to an acknowledgement) before the cut: the
        # server holds a lease the worker never saw, or took an acknowledgement the worker must retry.
        proxy.hold_server_bytes()
        wait_until(lambda: proxy.swallowed > 0, "the proxy swallowed the server's next bytes", timeout=30)
        proxy.reset_all()
        wait_until(lambda: sum(line.startswith("watching ") for line in list(worker.lines)) >= 2, "the worker reconnected",
                   timeout=30)
        submit_detractors(channel, product, wave, wave)  # recorded while the worker resumes
        wait_until(lambda: len(set(worker.acknowledged)) >= wave + 3, "the worker reached the second wave", timeout=30)
        proxy.reset_all()
        code = worker.exit_code()
    finally:
        worker.kill()
        proxy.close()
    print(worker.output)

    assert code == 0, worker.output
    assert any(line.startswith("stream lost (") for line in worker.lines), worker.output
    assert proxy.accepted >= 2
    assert_all_done(worker, stub, product, group, 2 * wave)


def test_over_tls_with_a_follow_up_key_the_worker_acknowledges_exactly_the_detractors_of_its_group(
    channel: grpc.Channel, stub: nps_pb2_grpc.NpsServiceStub, secure_server: SecureServer, secure_follow_up_api_key: str,
    run_id: str,
) -> None:
    product, group = f"py-worker-tls-{run_id}", f"py-team-{run_id}"
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    with npsgrpc.Writer(channel) as writer:
        for i in range(3):
            writer.add(product, 2 * i, comment=f"Too expensive, take {i}")
        writer.add(product, 9, comment="Fast and friendly")  # recorded for its comment, not followed up
        writer.add(product, 7)

    # As the README runs it against a production server: https:// address, the CA file, the key in NPS_API_KEY.
    worker, code = run_worker(*worker_arguments(f"https://{secure_server.address}", group, product, start, max_records=3),
                              "--ca-file", secure_server.ca_file, api_key=secure_follow_up_api_key)

    assert code == 0, worker.output
    assert "handled 3 records" in worker.lines
    assert_all_done(worker, stub, product, group, 3)
    (promoter,) = records(stub, product, categories=[nps_pb2.SCORE_CATEGORY_PROMOTER])
    assert list(promoter.follow_ups) == []


def test_with_a_wrong_api_key_the_worker_exits_1_naming_the_status_instead_of_retrying(
    secure_server: SecureServer, run_id: str
) -> None:
    cases = [
        ("none", None, "UNAUTHENTICATED", "needs an API key"),
        ("unknown", f"nps_unknown-{run_id}", "UNAUTHENTICATED", "The API key is not valid"),
        ("without the follow_up scope", secure_server.api_key, "PERMISSION_DENIED", "it lacks the 'follow_up' scope"),
    ]
    for key, api_key, status, detail in cases:
        start = datetime.datetime.now(datetime.timezone.utc)
        worker, code = run_worker(*worker_arguments(f"https://{secure_server.address}", f"py-team-{run_id}",
                                                    f"py-worker-key-{run_id}", start, max_records=1),
                                  "--ca-file", secure_server.ca_file, api_key=api_key, timeout=30)
        assert code == 1, (key, worker.output)
        assert any(line.startswith(f"follow-up stream refused: {status}: ") and detail in line for line in worker.lines), (
            key, worker.output)
        assert not any(line.startswith("stream lost") for line in worker.lines), (key, worker.output)  # not retried


def test_with_a_ca_file_that_did_not_sign_the_server_certificate_the_worker_exits_1_at_once_instead_of_reconnecting(
    secure_server: SecureServer, secure_follow_up_api_key: str, foreign_ca_file: str, run_id: str
) -> None:
    start = datetime.datetime.now(datetime.timezone.utc)
    # Reconnecting with backoff would go on forever: still running after 30 s fails the test.
    worker, code = run_worker(*worker_arguments(f"https://{secure_server.address}", f"py-team-{run_id}",
                                                f"py-worker-ca-{run_id}", start, max_records=1),
                              "--ca-file", foreign_ca_file, api_key=secure_follow_up_api_key, timeout=30)

    assert code == 1, worker.output
    expected = f"the server's certificate was not verified against the CA file given (--ca-file {foreign_ca_file}): "
    assert any(line.startswith(expected) and "certificate verify failed" in line for line in worker.lines), worker.output
    assert not any(line.startswith("stream lost") for line in worker.lines), worker.output  # not retried
