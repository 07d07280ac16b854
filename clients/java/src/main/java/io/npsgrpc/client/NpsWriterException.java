package io.npsgrpc.client;

import io.grpc.Status;

/**
 * The writer stopped for good: the server answered with a status that retrying cannot fix (for example
 * INVALID_ARGUMENT or PERMISSION_DENIED), the acknowledgements broke the protocol, or the calling thread
 * was interrupted. Responses not yet acknowledged were not necessarily counted.
 */
public class NpsWriterException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long unacknowledgedResponses;

  NpsWriterException(String message, Throwable cause, long unacknowledgedResponses) {
    super(message, cause);
    this.unacknowledgedResponses = unacknowledgedResponses;
  }

  /** The gRPC status that stopped the writer, or UNKNOWN when the cause was not a gRPC status. */
  public Status status() {
    return Status.fromThrowable(getCause());
  }

  /** How many added responses had not been acknowledged when the writer stopped. */
  public long unacknowledgedResponses() {
    return unacknowledgedResponses;
  }
}
