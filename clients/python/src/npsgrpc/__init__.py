"""NpsGrpc Python client: the generated ``nps.v1`` stubs plus an exactly-once batching :class:`Writer`.

The generated code is importable as ``from nps.v1 import nps_pb2, nps_pb2_grpc``.
"""

from npsgrpc.outcomes import outcomes
from npsgrpc.writer import (RETRIABLE_CODES, Rejection, Writer, WriterError, WriterStats, is_certificate_failure,
                             is_retriable)

__all__ = ["RETRIABLE_CODES", "Rejection", "Writer", "WriterError", "WriterStats", "is_certificate_failure",
           "is_retriable", "outcomes"]
__version__ = "0.1.0"
