"""Submits a few responses through npsgrpc.Writer, then prints the product's score.

    PYTHONPATH=clients/python/src /usr/bin/python3 clients/python/examples/submit_and_score.py [HOST:PORT]

The address comes from the argument, else $NPS_SERVER_ADDRESS, else 127.0.0.1:5000 (what `bash .ci/serve`
listens on), plaintext HTTP/2.
"""

from __future__ import annotations

import os
import sys
import uuid

import grpc

import npsgrpc
from nps.v1 import nps_pb2, nps_pb2_grpc


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("NPS_SERVER_ADDRESS", "127.0.0.1:5000")
    product = f"example-python-{uuid.uuid4().hex[:8]}"  # a product of its own, new on every run
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 11]  # 11 is out of range: the server rejects it

    with grpc.insecure_channel(address) as channel:
        def report(rejection: npsgrpc.Rejection) -> None:
            print(f"rejected {rejection.field}={rejection.response.score}: {rejection.reason_name} ({rejection.description})")

        with npsgrpc.Writer(channel, on_rejected=report) as writer:
            for score in scores:
                writer.add(product, score, {"region": "eu"})
        print(f"writer {writer.writer_id}: {writer.stats}")

        score = nps_pb2_grpc.NpsServiceStub(channel).GetScore(
            nps_pb2.GetScoreRequest(product_id=product), timeout=10
        ).score
    print(
        f"{product}: NPS {score.nps:.1f} from {score.total} responses "
        f"({score.promoters} promoters, {score.passives} passives, {score.detractors} detractors)"
        + (" - low sample" if score.low_sample else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
