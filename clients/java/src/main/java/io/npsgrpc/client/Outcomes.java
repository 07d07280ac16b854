package io.npsgrpc.client;

import io.npsgrpc.nps.v1.IndexedOutcome;
import io.npsgrpc.nps.v1.ResponseOutcome;
import io.npsgrpc.nps.v1.SubmitResponsesResponse;
import java.util.Arrays;
import java.util.List;

/** Reads an acknowledgement's sparse outcomes back per response. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * What each response of the acknowledged request did, in request order. An ack lists only the outcomes other
   * than counted ({@code getOtherOutcomesList()}); every other valid response was counted or, in a duplicate,
   * already applied. The request's length is {@code getAcceptedCount()} plus the rejected responses.
   */
  public static List<ResponseOutcome> of(SubmitResponsesResponse ack) {
    ResponseOutcome[] result = new ResponseOutcome[ack.getAcceptedCount() + ack.getRejectedCount()];
    Arrays.fill(result, ack.getDuplicate() ? ResponseOutcome.RESPONSE_OUTCOME_ALREADY_APPLIED : ResponseOutcome.RESPONSE_OUTCOME_COUNTED);
    for (IndexedOutcome other : ack.getOtherOutcomesList()) {
      result[other.getIndex()] = other.getOutcome();
    }
    return List.of(result);
  }
}
