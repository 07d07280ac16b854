package io.npsgrpc.client;

import io.npsgrpc.nps.v1.RejectionReason;
import io.npsgrpc.nps.v1.SurveyResponse;

/** One response the server refused to count, as reported in a batch acknowledgement. */
public final class Rejection {
  private final SurveyResponse response;
  private final long sequence;
  private final int index;
  private final String field;
  private final String description;
  private final RejectionReason reason;

  Rejection(SurveyResponse response, long sequence, int index, String field, String description,
      RejectionReason reason) {
    this.response = response;
    this.sequence = sequence;
    this.index = index;
    this.field = field;
    this.description = description;
    this.reason = reason;
  }

  /** The rejected response itself, as it was added (null only if the server named an index outside the batch). */
  public SurveyResponse response() { return response; }

  /** The sequence of the batch it was sent in. */
  public long sequence() { return sequence; }

  /** Its zero-based position within that batch. */
  public int index() { return index; }

  /** Path of the offending field, for example {@code responses[3].score}. */
  public String field() { return field; }

  /** Human-readable explanation from the server. */
  public String description() { return description; }

  /** Machine-readable reason. */
  public RejectionReason reason() { return reason; }

  @Override
  public String toString() {
    return "Rejection{sequence=" + sequence + ", index=" + index + ", field=" + field + ", reason="
        + reason + ", description=" + description + "}";
  }
}
