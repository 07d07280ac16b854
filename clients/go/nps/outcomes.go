package nps

import "github.com/npsgrpc/npsgrpc/clients/go/npsv1"

// Outcomes returns what each response of the acknowledged request did, in request order. An ack lists only
// the outcomes other than counted (OtherOutcomes); every other valid response was counted or, in a duplicate,
// already applied. The request's length is AcceptedCount plus the rejected responses.
func Outcomes(ack *npsv1.SubmitResponsesResponse) []npsv1.ResponseOutcome {
	outcomes := make([]npsv1.ResponseOutcome, int(ack.GetAcceptedCount())+len(ack.GetRejected()))
	fill := npsv1.ResponseOutcome_RESPONSE_OUTCOME_COUNTED
	if ack.GetDuplicate() {
		fill = npsv1.ResponseOutcome_RESPONSE_OUTCOME_ALREADY_APPLIED
	}
	for i := range outcomes {
		outcomes[i] = fill
	}
	for _, other := range ack.GetOtherOutcomes() {
		outcomes[other.GetIndex()] = other.GetOutcome()
	}
	return outcomes
}
