"""Exactly-once batching writer for ``NpsService.SubmitResponses``.

One background thread owns the bidirectional stream. It reads acknowledgements, while gRPC pulls requests
from a generator (``_requests``) that hands out batches as they are cut. All shared state sits behind one
condition variable, so ``add``/``flush``/``close`` can be called from any thread.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Iterator, List, Mapping, Optional, Sequence, Tuple

import grpc

from nps.v1 import nps_pb2, nps_pb2_grpc

__all__ = ["RETRIABLE_CODES", "Rejection", "Writer", "WriterError", "WriterStats", "is_certificate_failure", "is_retriable"]

_log = logging.getLogger(__name__)

MAX_BATCH_SIZE = 1000
"""The server's limit of responses per request."""

RETRIABLE_CODES = frozenset({grpc.StatusCode.UNAVAILABLE})
"""Statuses after which unacknowledged batches are re-sent on a new stream.

UNAVAILABLE covers what the contract says is transient (store unreachable, server shutting down) and what
gRPC reports for a dropped, reset or refused connection. Anything else (INVALID_ARGUMENT, UNAUTHENTICATED,
PERMISSION_DENIED, RESOURCE_EXHAUSTED, ...) would fail again identically, so it is surfaced instead. So is an
UNAVAILABLE that is a certificate failure: see :func:`is_retriable`.
"""

# What gRPC's TLS stacks (OpenSSL, BoringSSL) put in the status details when the server's certificate was not
# verified: not signed by a trusted CA, self-signed, or issued for another name. Not the bare "Ssl handshake failed":
# that also prefixes a connection reset mid-handshake, which is transient.
_CERTIFICATE_FAILURE_TEXTS = (
    "certificate verify failed",  # OpenSSL: "error:0A000086:SSL routines::certificate verify failed"
    "certificate_verify_failed",  # BoringSSL: "...:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED"
    "self signed certificate",
    "self-signed certificate",
    "unable to get local issuer certificate",
    "unable to verify",
    "is not in peer certificate",  # gRPC's name check: "Peer name nps.internal is not in peer certificate"
)


def is_certificate_failure(error: grpc.RpcError) -> bool:
    """Whether the call failed because the server's certificate could not be verified (wrong or missing CA, a
    self-signed certificate, another host name).

    gRPC reports this as UNAVAILABLE, like a lost connection, but a wrong CA never heals by retrying: a client that
    reconnects would do so forever. grpcio exposes no exception type or cause for it, only the status details text,
    so that is what is matched.
    """
    texts = [getattr(error, name)() or "" for name in ("details", "debug_error_string") if hasattr(error, name)]
    text = " ".join(texts).lower()
    return any(marker in text for marker in _CERTIFICATE_FAILURE_TEXTS)


def is_retriable(error: grpc.RpcError) -> bool:
    """Whether a call or stream that failed with ``error`` may succeed if made again: a status of
    :data:`RETRIABLE_CODES` (a lost, reset or refused connection, a server shutting down) that is not a
    certificate failure (:func:`is_certificate_failure`)."""
    return error.code() in RETRIABLE_CODES and not is_certificate_failure(error)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Rejection:
    """One response the server did not count, as reported in a batch's acknowledgement."""

    response: nps_pb2.SurveyResponse
    """The rejected response itself."""
    index: int
    """Its position in the batch."""
    field: str
    """Path of the offending field, e.g. ``responses[3].score``."""
    description: str
    reason: int
    """A ``nps_pb2.RejectionReason`` value."""
    sequence: int
    """The sequence of the batch it travelled in."""

    @property
    def reason_name(self) -> str:
        return nps_pb2.RejectionReason.Name(self.reason)


@dataclass(frozen=True)
class WriterStats:
    """A snapshot of a writer's counters."""

    accepted: int
    """Responses the server counted (including those of duplicate batches, counted by an earlier delivery)."""
    rejected: int
    """Responses the server rejected as invalid."""
    duplicates: int
    """Batches acknowledged as duplicates: re-sent after a lost acknowledgement, counted only once."""
    batches: int
    """Batches acknowledged."""
    reconnects: int
    """Streams opened again after a retriable failure."""
    unacknowledged: int
    """Responses cut into batches and not acknowledged yet."""
    unacknowledged_batches: int
    buffered: int
    """Responses added but not cut into a batch yet."""


class WriterError(Exception):
    """The stream failed with a status that retrying cannot fix; the writer stops and sends nothing more.

    ``unacknowledged`` responses (buffered or in unacknowledged batches) were not confirmed as counted.
    """

    def __init__(self, message: str, code: Optional[grpc.StatusCode], details: str, unacknowledged: int) -> None:
        super().__init__(message)
        self.code = code
        self.details = details
        self.unacknowledged = unacknowledged


RejectionCallback = Callable[[Rejection], None]


@dataclass
class _Batch:
    request: nps_pb2.SubmitResponsesRequest
    size: int


class _Stream:
    """Per-stream bookkeeping: how many of the oldest unacknowledged batches were sent on it."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.done = False


class _ProtocolError(Exception):
    pass


class Writer:
    """Submits survey responses in batches over one ``SubmitResponses`` stream, exactly once.

    Responses are buffered and cut into batches of ``max_batch_size`` or after ``max_delay`` seconds, whichever
    comes first. Each batch gets the next ``sequence`` for ``writer_id``; up to ``max_in_flight`` batches are
    sent before their acknowledgements arrive. When the stream fails with a retriable status the writer
    reconnects with exponential backoff and jitter and re-sends every unacknowledged batch with its same
    sequence, so the server counts it at most once. Other statuses raise :class:`WriterError` from ``add``,
    ``flush`` and ``close``.

    ``on_rejected`` is called from the writer's thread for each invalid response, before ``flush`` returns
    for it. It must be quick and must not call ``add`` (which may wait for that very thread).

    The writer does not own ``channel``; close the writer before the channel. Call ``close`` (or use it as a
    context manager): its thread is a daemon, so responses still buffered at interpreter exit are lost.
    """

    def __init__(
        self,
        channel: grpc.Channel,
        writer_id: Optional[str] = None,
        *,
        max_batch_size: int = 500,
        max_delay: float = 0.2,
        max_in_flight: int = 8,
        first_sequence: Optional[int] = None,
        on_rejected: Optional[RejectionCallback] = None,
        initial_backoff: float = 0.1,
        max_backoff: float = 5.0,
        metadata: Optional[Sequence[Tuple[str, str]]] = None,
    ) -> None:
        if not 1 <= max_batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"max_batch_size must be 1 to {MAX_BATCH_SIZE}, got {max_batch_size}")
        if max_delay <= 0:
            raise ValueError("max_delay must be positive")
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if first_sequence is not None and first_sequence < 1:
            raise ValueError("first_sequence must be at least 1")
        if not 0 < initial_backoff <= max_backoff:
            raise ValueError("backoffs must satisfy 0 < initial_backoff <= max_backoff")

        # The server validates writer_id (1 to 128 of [A-Za-z0-9._:-]); a bad one surfaces as WriterError.
        self.writer_id: str = writer_id if writer_id is not None else f"python-{uuid.uuid4()}"
        self._stub = nps_pb2_grpc.NpsServiceStub(channel)
        self._max_batch_size = max_batch_size
        self._max_delay = max_delay
        self._max_in_flight = max_in_flight
        self._on_rejected = on_rejected
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._metadata = tuple(metadata) if metadata else None

        self._cond = threading.Condition()
        self._buffer: List[nps_pb2.SurveyResponse] = []
        self._buffer_since: Optional[float] = None
        self._batches: Deque[_Batch] = deque()
        # Microseconds since the epoch: a restarted process reusing a persisted writer_id keeps increasing.
        self._next_sequence = first_sequence if first_sequence is not None else time.time_ns() // 1000
        # Running totals of responses; acknowledgements arrive in order, so they tell flush what is done.
        self._added = 0
        self._cut = 0
        self._acked = 0
        self._flush_upto = 0
        self._closing = False
        self._closed = False
        self._error: Optional[WriterError] = None
        self._stop = threading.Event()
        self._call: Optional[grpc.Call] = None
        self._accepted = 0
        self._rejected = 0
        self._duplicates = 0
        self._batches_acked = 0
        self._reconnects = 0

        self._thread = threading.Thread(target=self._run, name=f"npsgrpc-writer-{self.writer_id}", daemon=True)
        self._thread.start()

    # Public API

    def add(
        self,
        product_id: str,
        score: Optional[int],
        segments: Optional[Mapping[str, str]] = None,
        *,
        comment: Optional[str] = None,
        language_code: Optional[str] = None,
    ) -> None:
        """Buffers one response; blocks while the buffer is full and ``max_in_flight`` batches await acks.

        ``score`` None sends a response without a score (the server rejects it, as it does 11). ``comment`` is the
        customer's answer to "why?" (None or empty: none), ``language_code`` its BCP 47 language (None or empty:
        the server's default).
        """
        response = nps_pb2.SurveyResponse(
            product_id=product_id,
            segments=dict(segments or {}),
            comment=comment or "",
            language_code=language_code or "",
        )
        if score is not None:
            response.score = score
        with self._cond:
            self._raise_if_unusable_locked()
            while len(self._buffer) >= self._max_batch_size:
                self._cond.wait()
                self._raise_if_unusable_locked()
            if not self._buffer:
                self._buffer_since = time.monotonic()
            self._buffer.append(response)
            self._added += 1
            self._cut_locked()
            self._cond.notify_all()

    def flush(self, timeout: Optional[float] = None) -> None:
        """Waits until every response added so far is acknowledged (counted or rejected).

        Raises :class:`WriterError` if the stream failed for good, ``TimeoutError`` after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            target = self._added
            self._flush_upto = max(self._flush_upto, target)
            self._cut_locked()
            self._cond.notify_all()
            while self._acked < target:
                if self._error is not None:
                    raise self._error
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError(f"{target - self._acked} responses are still unacknowledged")
                self._cond.wait(remaining)

    def close(self, timeout: Optional[float] = None) -> None:
        """Flushes, ends the stream and stops the writer's thread; further ``add`` calls raise.

        If everything is not acknowledged within ``timeout`` seconds, the stream is cancelled and
        ``TimeoutError`` is raised: the unacknowledged responses may or may not have been counted.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            if self._closed:
                return
            self._closing = True
            self._cond.notify_all()
        try:
            self.flush(timeout)
        except TimeoutError:
            self._abandon()
            raise
        finally:
            with self._cond:
                self._closed = True
        self._thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if self._thread.is_alive():
            self._abandon()
            raise TimeoutError("the stream did not end in time")
        if self._error is not None:
            raise self._error

    @property
    def stats(self) -> WriterStats:
        with self._cond:
            return WriterStats(
                accepted=self._accepted,
                rejected=self._rejected,
                duplicates=self._duplicates,
                batches=self._batches_acked,
                reconnects=self._reconnects,
                unacknowledged=self._cut - self._acked,
                unacknowledged_batches=len(self._batches),
                buffered=len(self._buffer),
            )

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Batching

    def _raise_if_unusable_locked(self) -> None:
        if self._error is not None:
            raise self._error
        if self._closing:
            raise RuntimeError("the writer is closed")

    def _cut_locked(self) -> None:
        # Batches are cut only while the window has room, so each can be sent at once and the buffer (at most
        # one batch) bounds memory.
        while self._buffer and len(self._batches) < self._max_in_flight:
            full = len(self._buffer) >= self._max_batch_size
            due = (
                self._closing
                or self._flush_upto > self._cut
                or (self._buffer_since is not None and time.monotonic() - self._buffer_since >= self._max_delay)
            )
            if not (full or due):
                return
            responses = self._buffer[: self._max_batch_size]
            del self._buffer[: self._max_batch_size]
            if not self._buffer:
                self._buffer_since = None
            request = nps_pb2.SubmitResponsesRequest(
                writer_id=self.writer_id, sequence=self._next_sequence, responses=responses
            )
            self._next_sequence += 1
            self._batches.append(_Batch(request, len(responses)))
            self._cut += len(responses)

    def _requests(self, stream: _Stream) -> Iterator[nps_pb2.SubmitResponsesRequest]:
        """Runs on gRPC's request-consuming thread for one stream: yields batches as the window allows."""
        while True:
            with self._cond:
                while True:
                    if stream.done or self._stop.is_set():
                        return
                    self._cut_locked()
                    if stream.in_flight < len(self._batches):
                        # A new stream starts at in_flight 0: it re-sends the oldest unacknowledged batch first.
                        request = self._batches[stream.in_flight].request
                        stream.in_flight += 1
                        break
                    if self._closing and not self._buffer:
                        return  # half-close: the server acknowledges what is in flight, then ends the stream
                    timeout = None
                    if self._buffer_since is not None and len(self._batches) < self._max_in_flight:
                        timeout = max(0.0, self._buffer_since + self._max_delay - time.monotonic())
                    self._cond.wait(timeout)
            yield request

    # The stream

    def _run(self) -> None:
        attempt = 0
        while True:
            with self._cond:
                # Open a stream only when there is something to send, so an idle writer makes no traffic.
                while not (self._buffer or self._batches or self._closing or self._stop.is_set()):
                    self._cond.wait()
                if self._stop.is_set() or (self._closing and not self._buffer and not self._batches):
                    return
            acked_before = self.stats.batches
            try:
                failure = self._run_stream()
            except WriterError as error:
                self._fail(error)
                return
            except Exception as error:  # a bug must not leave flush waiting forever
                self._fail(WriterError(f"writer thread failed: {error!r}", None, str(error), 0))
                _log.exception("npsgrpc writer %s failed", self.writer_id)
                return
            if self.stats.batches > acked_before:
                attempt = 0  # the stream made progress: back off from scratch
            if failure is None:
                continue
            if self._stop.is_set():
                return
            # Exponential backoff with equal jitter: spreads reconnecting clients yet keeps a floor.
            delay = min(self._max_backoff, self._initial_backoff * (2**attempt))
            delay = delay / 2 + random.uniform(0, delay / 2)
            attempt += 1
            with self._cond:
                pending = len(self._batches)
            _log.warning(
                "npsgrpc writer %s: stream failed (%s); reconnecting in %.2fs to re-send %d unacknowledged batches",
                self.writer_id, failure, delay, pending,
            )
            if self._stop.wait(delay):
                return
            with self._cond:
                self._reconnects += 1

    def _run_stream(self) -> Optional[str]:
        """Runs one stream to its end. Returns None when it ended with nothing left to do, else why to retry."""
        stream = _Stream()
        kwargs = {"metadata": self._metadata} if self._metadata else {}
        call = self._stub.SubmitResponses(self._requests(stream), **kwargs)
        with self._cond:
            self._call = call
        if self._stop.is_set():
            call.cancel()  # close() gave up between the check in _run and here
        try:
            for ack in call:
                self._on_ack(stream, ack)
        except grpc.RpcError as error:
            code = error.code()  # type: ignore[attr-defined]
            details = error.details() or ""  # type: ignore[attr-defined]
            if is_retriable(error):
                return f"{code.name}: {details}"
            if self._stop.is_set():
                return "cancelled"
            with self._cond:
                unacknowledged = self._added - self._acked
            if is_certificate_failure(error):
                message = (f"SubmitResponses failed: the server's certificate was not verified against the channel's "
                           f"root certificates (ssl_channel_credentials): {details}")
            else:
                message = f"SubmitResponses failed with {code.name}: {details}"
            raise WriterError(message, code, details, unacknowledged) from error
        except _ProtocolError as error:
            with self._cond:
                unacknowledged = self._added - self._acked
            raise WriterError(str(error), None, str(error), unacknowledged) from error
        finally:
            with self._cond:
                stream.done = True
                self._call = None
                self._cond.notify_all()
            call.cancel()
        with self._cond:
            if self._batches or (self._buffer and not self._closing):
                return "the stream ended before every batch was acknowledged"
            return None

    def _on_ack(self, stream: _Stream, ack: nps_pb2.SubmitResponsesResponse) -> None:
        with self._cond:
            if stream.in_flight == 0 or ack.sequence != self._batches[0].request.sequence:
                expected = self._batches[0].request.sequence if stream.in_flight else None
                raise _ProtocolError(f"acknowledgement for sequence {ack.sequence}, expected {expected}")
            batch = self._batches.popleft()
            stream.in_flight -= 1
            self._accepted += ack.accepted_count
            self._rejected += len(ack.rejected)
            self._duplicates += 1 if ack.duplicate else 0
            self._batches_acked += 1
            self._cut_locked()
            self._cond.notify_all()
        # Outside the lock, so a slow callback stalls only this thread; _acked moves after it so flush() returns
        # only once the callbacks of its responses have run.
        if self._on_rejected is not None:
            for rejected in ack.rejected:
                in_batch = 0 <= rejected.index < len(batch.request.responses)
                rejection = Rejection(
                    response=batch.request.responses[rejected.index] if in_batch else nps_pb2.SurveyResponse(),
                    index=rejected.index,
                    field=rejected.field,
                    description=rejected.description,
                    reason=rejected.reason,
                    sequence=batch.request.sequence,
                )
                try:
                    self._on_rejected(rejection)
                except Exception:
                    _log.exception("npsgrpc writer %s: on_rejected callback raised", self.writer_id)
        with self._cond:
            self._acked += batch.size
            self._cond.notify_all()

    def _fail(self, error: WriterError) -> None:
        _log.error("npsgrpc writer %s stopped: %s", self.writer_id, error)
        with self._cond:
            self._error = error
            self._cond.notify_all()

    def _abandon(self) -> None:
        self._stop.set()
        with self._cond:
            call = self._call
            self._cond.notify_all()
        if call is not None:
            call.cancel()
