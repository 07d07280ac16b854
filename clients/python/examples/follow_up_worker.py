"""A follow-up worker: watches a follow-up group's queue (StreamFollowUps), handles each delivered record (here:
prints it), acknowledges it as contacted (AcknowledgeFollowUps), and resumes after a dropped connection.

    PYTHONPATH=clients/python/src /usr/bin/python3 clients/python/examples/follow_up_worker.py --product my-app
    NPS_API_KEY=... PYTHONPATH=... follow_up_worker.py --address https://host:port --ca-file ca.pem --product my-app

Options default to the environment: --address to $NPS_SERVER_ADDRESS (else 127.0.0.1:5000, plaintext HTTP/2;
https://host:port for TLS), --ca-file to $NPS_SERVER_CA (else the system's CAs), --group to $NPS_FOLLOW_UP_GROUP
(else callback-team), --consumer to $NPS_FOLLOW_UP_CONSUMER (else the host name), --product to
$NPS_FOLLOW_UP_PRODUCTS (comma-separated). The API key is $NPS_API_KEY, from the environment only (on a command
line every user of the machine could read it), and only over TLS. --max-records N stops after N records are
acknowledged (0, the default: until Ctrl+C). A server certificate that the CA file (or the system's CAs) does not
verify ends it with exit code 1: that never heals by reconnecting.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import socket
import sys
import time
from typing import List, Optional, Sequence, Set, Tuple

import grpc

import npsgrpc
from nps.v1 import nps_pb2, nps_pb2_grpc

MIN_BACKOFF, MAX_BACKOFF = 0.1, 5.0


def ack_retriable(error: grpc.RpcError) -> bool:
    """What the writer retries, and a deadline that passed: acknowledging again is harmless (it is idempotent)."""
    return npsgrpc.is_retriable(error) or error.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def parse(argv: Sequence[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description="Watches a follow-up group's queue and acknowledges every record.")
    parser.add_argument("--address", default=env("NPS_SERVER_ADDRESS") or "127.0.0.1:5000",
                        help="host:port (plaintext HTTP/2) or https://host:port (TLS)")
    parser.add_argument("--ca-file", default=env("NPS_SERVER_CA"),
                        help="a PEM certificate to trust as the root of the server's chain, https:// only "
                             "(default $NPS_SERVER_CA, else the system's CAs)")
    parser.add_argument("--group", default=env("NPS_FOLLOW_UP_GROUP") or "callback-team")
    parser.add_argument("--consumer", default=env("NPS_FOLLOW_UP_CONSUMER") or socket.gethostname(),
                        help="keep it stable: a reconnecting consumer gets its own unacknowledged deliveries back")
    parser.add_argument("--product", action="append", dest="products",
                        help="a product to watch (repeat for several); default $NPS_FOLLOW_UP_PRODUCTS")
    parser.add_argument("--max-records", type=int, default=0, help="stop after this many records (0: never)")
    parser.add_argument("--max-outstanding", type=int, default=10, help="deliveries held unacknowledged at a time")
    parser.add_argument("--start-time", help="where a new group starts, e.g. 2026-12-01T00:00:00Z (default: now)")
    args = parser.parse_args(argv)
    args.products = args.products or [p.strip() for p in (env("NPS_FOLLOW_UP_PRODUCTS") or "").split(",") if p.strip()]
    if not args.products:
        parser.error("name at least one --product (or set NPS_FOLLOW_UP_PRODUCTS)")
    args.api_key = env("NPS_API_KEY") or None
    # A key sent in plaintext is a key given away; a CA file for a plaintext address is a mistake in the address.
    args.tls = args.address.startswith("https://")
    if not args.tls and args.api_key:
        parser.error(f"NPS_API_KEY is only sent over TLS: give an https:// address, not {args.address}")
    if not args.tls and args.ca_file:
        parser.error(f"--ca-file (or NPS_SERVER_CA) is for TLS: give an https:// address, not {args.address}")
    args.ca_pem = None
    if args.ca_file:
        try:
            with open(args.ca_file, "rb") as ca:
                args.ca_pem = ca.read()
        except OSError as error:
            parser.error(f"--ca-file {args.ca_file}: {error.strerror}")
    return args


def connect(args: argparse.Namespace) -> grpc.Channel:
    """The channel of the README's production connection for an https:// address: TLS trusting the CA file (else the
    system's CAs) and the API key as call credentials; plaintext HTTP/2 otherwise."""
    # gRPC's own reconnect backoff (1 s growing to 120 s by default) would outlast the worker's: keep it short.
    options = [("grpc.initial_reconnect_backoff_ms", 100), ("grpc.max_reconnect_backoff_ms", 5000)]
    if not args.tls:
        return grpc.insecure_channel(args.address.removeprefix("http://"), options=options)
    credentials = grpc.ssl_channel_credentials(root_certificates=args.ca_pem)  # None: the system's CAs
    if args.api_key:  # sent as "authorization: Bearer <key>"
        credentials = grpc.composite_channel_credentials(credentials, grpc.access_token_call_credentials(args.api_key))
    return grpc.secure_channel(args.address.removeprefix("https://"), credentials, options=options)


class Worker:
    """Keeps a StreamFollowUps call open for its group and consumer; a dropped connection, UNAVAILABLE or a stream
    the server ended is not an error: it reconnects with backoff under the same consumer name, and the server
    first hands back the deliveries this consumer held without acknowledging them. A certificate that could not be
    verified is UNAVAILABLE too, but final (``npsgrpc.is_retriable``): it is raised like any other status."""

    def __init__(self, stub: nps_pb2_grpc.NpsServiceStub, args: argparse.Namespace) -> None:
        self._stub = stub
        self._args = args
        # Records acknowledged by this run: one delivered again after a reconnect is handled again, counted once.
        self.handled: Set[Tuple[str, str]] = set()

    @property
    def done(self) -> bool:
        return 0 < self._args.max_records <= len(self.handled)

    def run(self) -> int:
        backoff = MIN_BACKOFF
        while not self.done:
            call = self._stub.StreamFollowUps(self._request())
            say(f"watching {','.join(self._args.products)} as {self._args.group}/{self._args.consumer}")
            try:
                for response in call:
                    backoff = MIN_BACKOFF  # the server answers again: start the backoff over
                    for delivery in response.deliveries:
                        self._handle(delivery)
                        if self.done:
                            return len(self.handled)
                lost = "the server ended the stream"
            except grpc.RpcError as error:
                if not npsgrpc.is_retriable(error):
                    raise
                lost = error.code().name
            finally:
                call.cancel()  # ends the stream on the server when we leave it (done, or failed)
            delay = backoff * random.uniform(0.5, 1.0)
            say(f"stream lost ({lost}): reconnecting in {delay * 1000:.0f} ms")
            time.sleep(delay)
            backoff = min(backoff * 2, MAX_BACKOFF)
        return len(self.handled)

    def _request(self) -> nps_pb2.StreamFollowUpsRequest:
        request = nps_pb2.StreamFollowUpsRequest(
            group=self._args.group,
            consumer=self._args.consumer,
            product_ids=self._args.products,
            categories=[nps_pb2.SCORE_CATEGORY_DETRACTOR],
            max_outstanding=self._args.max_outstanding,
        )
        if self._args.start_time:  # only read when the group is created
            start = datetime.datetime.fromisoformat(self._args.start_time.replace("Z", "+00:00"))
            request.start_time.FromDatetime(start.astimezone(datetime.timezone.utc))
        return request

    def _handle(self, delivery: nps_pb2.FollowUpDelivery) -> None:
        record = delivery.record
        name = f"{record.product_id}/{record.record_id}"
        # The follow-up itself would go here (open a ticket, call the customer); this worker only shows the record.
        comment = " ".join(record.comment.splitlines())
        say(f"record {name} score {record.score} attempt {delivery.attempt}: {comment}")
        request = nps_pb2.AcknowledgeFollowUpsRequest(acknowledgements=[nps_pb2.FollowUpAcknowledgement(
            ack_id=delivery.ack_id,
            outcome=nps_pb2.FOLLOW_UP_OUTCOME_CONTACTED,
            note=f"called back by {self._args.consumer}",
        )])
        # Retry the same ack id until the server answers, so an acknowledgement that was taken but whose answer
        # was lost with the connection is not mistaken for one that was not.
        backoff = MIN_BACKOFF
        while True:
            try:
                answer = self._stub.AcknowledgeFollowUps(request, timeout=10)
                break
            except grpc.RpcError as error:
                if not ack_retriable(error):
                    raise
                say(f"acknowledging {name} failed ({error.code().name}): retrying")
                time.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, MAX_BACKOFF)
        if answer.exceptions:
            # STALE_LEASE: the lease expired and another worker has the record; UNKNOWN: it was erased or trimmed.
            say(f"not acknowledged {name}: {nps_pb2.AcknowledgementProblem.Name(answer.exceptions[0].problem)}")
        else:
            self.handled.add((record.product_id, record.record_id))
            say(f"acknowledged {name} as CONTACTED")


def say(line: str) -> None:
    print(line, flush=True)  # line by line, also into a pipe: whoever watches the worker sees it as it happens


def main(argv: Optional[List[str]] = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    with connect(args) as channel:
        try:
            handled = Worker(nps_pb2_grpc.NpsServiceStub(channel), args).run()
        except KeyboardInterrupt:
            return 0  # deliveries not acknowledged go back to the group when their lease ends
        except grpc.RpcError as error:
            if npsgrpc.is_certificate_failure(error):
                # A wrong CA (or a server certificate for another name) never heals by reconnecting: say what to check.
                if args.ca_file:
                    trusted = f"the CA file given (--ca-file {args.ca_file})"
                else:
                    trusted = "the system's CAs (give the CA that signed it with --ca-file or NPS_SERVER_CA)"
                print(f"the server's certificate was not verified against {trusted}: {error.details()}", file=sys.stderr)
                return 1
            # The server's answer, not a lost connection: a bad name, a group created with another filter, a missing or
            # wrong API key (UNAUTHENTICATED), a key without the follow_up scope (PERMISSION_DENIED). Retrying would not help.
            print(f"follow-up stream refused: {error.code().name}: {error.details()}", file=sys.stderr)
            return 1
    say(f"handled {handled} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
