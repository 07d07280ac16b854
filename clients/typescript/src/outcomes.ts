import { ResponseOutcome, type SubmitResponsesResponse } from "./gen/nps/v1/nps_pb.js";

/**
 * What each response of the acknowledged request did, in request order. An ack lists only the outcomes other
 * than counted (`otherOutcomes`); every other valid response was counted or, in a duplicate, already applied.
 * The request's length is `acceptedCount` plus the rejected responses.
 */
export function outcomes(ack: SubmitResponsesResponse): ResponseOutcome[] {
  const result = new Array<ResponseOutcome>(ack.acceptedCount + ack.rejected.length).fill(
    ack.duplicate ? ResponseOutcome.ALREADY_APPLIED : ResponseOutcome.COUNTED,
  );
  for (const other of ack.otherOutcomes) {
    result[other.index] = other.outcome;
  }
  return result;
}
