"""The README's connection with TLS, an API key and several instances, against the live server's TLS + API key
twin (see .ci/live-server.sh), including a failover when the instance carrying the writer dies."""

from __future__ import annotations

import random
import socket
from typing import List

import grpc
import pytest

import npsgrpc
from conftest import Producer, SecureServer, assert_scores_exact, wait_until
from nps.v1 import nps_pb2, nps_pb2_grpc
from proxy import TcpProxy


def production_channel(addresses: List[str], ca_pem: bytes, api_key: str, server_name: str) -> grpc.Channel:
    # README: production
    credentials = grpc.composite_channel_credentials(
        grpc.ssl_channel_credentials(root_certificates=ca_pem),  # a private CA's PEM; None: the system's CAs
        grpc.access_token_call_credentials(api_key),  # sent as "authorization: Bearer <key>"
    )
    channel = grpc.secure_channel(
        "ipv4:" + ",".join(addresses),  # one or several instances, "10.0.0.7:5001" each
        credentials,
        options=[
            ("grpc.lb_policy_name", "round_robin"),  # spread calls over the instances that are up
            ("grpc.default_authority", server_name),  # the name in their certificate, e.g. "nps.internal"
        ],
    )
    # README: end
    return channel


def test_the_production_channel_submits_and_reads_with_tls_and_an_api_key(secure_server: SecureServer, run_id: str) -> None:
    product = f"py-tls-{run_id}"
    with production_channel([secure_server.address], secure_server.ca_pem, secure_server.api_key, "localhost") as channel:
        with npsgrpc.Writer(channel) as writer:
            for score in (10, 9, 3):
                writer.add(product, score)
        score = nps_pb2_grpc.NpsServiceStub(channel).GetScore(nps_pb2.GetScoreRequest(product_id=product), timeout=10).score
    assert (writer.stats.accepted, score.total, score.promoters, score.detractors) == (3, 3, 2, 1)


def test_without_the_api_key_the_secure_server_answers_unauthenticated_and_the_writer_does_not_retry(
    secure_server: SecureServer, run_id: str
) -> None:
    tls_only = grpc.ssl_channel_credentials(root_certificates=secure_server.ca_pem)
    with grpc.secure_channel(secure_server.address, tls_only) as channel:
        with pytest.raises(grpc.RpcError) as raised:
            nps_pb2_grpc.NpsServiceStub(channel).GetScore(nps_pb2.GetScoreRequest(product_id=f"py-nokey-{run_id}"), timeout=10)
        assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
        writer = npsgrpc.Writer(channel)
        writer.add(f"py-nokey-{run_id}", 9)
        with pytest.raises(npsgrpc.WriterError) as failed:
            writer.flush(timeout=30)
        assert failed.value.code == grpc.StatusCode.UNAUTHENTICATED
        assert writer.stats.reconnects == 0
        with pytest.raises(npsgrpc.WriterError):
            writer.close(timeout=30)


def test_the_production_channel_fails_over_when_the_instance_carrying_the_writer_dies(
    secure_server: SecureServer, run_id: str
) -> None:
    """Two TCP proxies in front of the TLS twin stand for two instances. While batches are in flight, the one that
    carries the writer's stream is killed (it stops listening and resets its connections): the writer must go on
    through the other, and every response must count exactly once."""
    rng = random.Random(run_id)
    products = [f"py-failover-{run_id}-{i}" for i in range(2)]
    plan = [(products[i % 2], rng.randint(0, 10)) for i in range(4000)]
    instances = [TcpProxy(secure_server.address), TcpProxy(secure_server.address)]
    try:
        addresses = [instance.address for instance in instances]
        with production_channel(addresses, secure_server.ca_pem, secure_server.api_key, "localhost") as channel:
            writer = npsgrpc.Writer(channel, max_batch_size=50, initial_backoff=0.05, max_backoff=0.5)
            producer = Producer(writer, plan)
            wait_until(lambda: writer.stats.accepted >= 1000, "1000 acknowledged responses")
            # Only the writer's stream is sending: the proxy that forwarded more carries it.
            killed, survivor = sorted(instances, key=lambda instance: instance.forwarded, reverse=True)
            killed.close()
            survivor_at_kill = survivor.forwarded
            producer.join()
            writer.close(timeout=60)
            stub = nps_pb2_grpc.NpsServiceStub(channel)
            stats = writer.stats
            assert (stats.accepted, stats.rejected, stats.unacknowledged, stats.buffered) == (4000, 0, 0, 0)
            assert stats.reconnects >= 1, "the writer never reconnected: its stream was not on the killed instance"
            assert survivor.forwarded - survivor_at_kill > 10_000
            # Reads go through the same channel, now to the survivor alone.
            assert_scores_exact(stub, plan)
    finally:
        for instance in instances:
            instance.close()


def test_a_dns_target_with_round_robin_checks_the_certificate_against_its_name(secure_server: SecureServer, run_id: str) -> None:
    port = secure_server.address.rsplit(":", 1)[1]
    credentials = grpc.composite_channel_credentials(
        grpc.ssl_channel_credentials(root_certificates=secure_server.ca_pem),
        grpc.access_token_call_credentials(secure_server.api_key),
    )
    with grpc.secure_channel(f"dns:///localhost:{port}", credentials, options=[("grpc.lb_policy_name", "round_robin")]) as channel:
        with pytest.raises(grpc.RpcError) as raised:
            nps_pb2_grpc.NpsServiceStub(channel).GetScore(nps_pb2.GetScoreRequest(product_id=f"py-dns-{run_id}"), timeout=10)
    # NOT_FOUND comes from the server itself: TLS to "localhost" and the key were accepted.
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_with_a_ca_that_did_not_sign_the_server_certificate_the_writer_raises_instead_of_retrying(
    secure_server: SecureServer, foreign_ca_file: str, run_id: str
) -> None:
    with open(foreign_ca_file, "rb") as ca:
        credentials = grpc.composite_channel_credentials(
            grpc.ssl_channel_credentials(root_certificates=ca.read()),
            grpc.access_token_call_credentials(secure_server.api_key),
        )
    with grpc.secure_channel(secure_server.address, credentials) as channel:
        writer = npsgrpc.Writer(channel)
        writer.add(f"py-foreign-ca-{run_id}", 9)
        with pytest.raises(npsgrpc.WriterError) as failed:
            writer.flush(timeout=30)
        assert failed.value.code == grpc.StatusCode.UNAVAILABLE
        assert "the server's certificate was not verified" in str(failed.value), str(failed.value)
        assert "certificate verify failed" in failed.value.details
        assert (writer.stats.reconnects, writer.stats.unacknowledged + writer.stats.buffered) == (0, 1)
        with pytest.raises(npsgrpc.WriterError):
            writer.close(timeout=30)


def test_a_certificate_the_ca_did_not_sign_is_final_and_a_refused_connection_is_transient(
    secure_server: SecureServer, foreign_ca_file: str, run_id: str
) -> None:
    request = nps_pb2.GetScoreRequest(product_id=f"py-classify-{run_id}")
    with open(foreign_ca_file, "rb") as ca:
        foreign = grpc.ssl_channel_credentials(root_certificates=ca.read())
    with grpc.secure_channel(secure_server.address, foreign) as channel:
        with pytest.raises(grpc.RpcError) as unverified:
            nps_pb2_grpc.NpsServiceStub(channel).GetScore(request, timeout=10)
    # A port nobody listens on: bound, then closed.
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        refused_address = f"127.0.0.1:{free.getsockname()[1]}"
    trusted = grpc.ssl_channel_credentials(root_certificates=secure_server.ca_pem)
    with grpc.secure_channel(refused_address, trusted) as channel:
        with pytest.raises(grpc.RpcError) as refused:
            nps_pb2_grpc.NpsServiceStub(channel).GetScore(request, timeout=10)

    # Both are UNAVAILABLE to gRPC; only the refused connection may heal.
    assert (unverified.value.code(), refused.value.code()) == (grpc.StatusCode.UNAVAILABLE,) * 2
    assert npsgrpc.is_certificate_failure(unverified.value) and not npsgrpc.is_retriable(unverified.value)
    assert not npsgrpc.is_certificate_failure(refused.value) and npsgrpc.is_retriable(refused.value), refused.value.details()
