namespace NpsGrpc.V1;

/// <summary>Reads an acknowledgement's sparse outcomes back per response.</summary>
public sealed partial class SubmitResponsesResponse
{
    /// <summary>
    /// What each response of the acknowledged request did, in request order. An ack lists only the outcomes other
    /// than counted (<see cref="OtherOutcomes"/>); every other valid response was counted, or, in a duplicate, already
    /// applied. The request's length is <see cref="AcceptedCount"/> plus the rejected responses.
    /// </summary>
    public ResponseOutcome[] AllOutcomes()
    {
        var outcomes = new ResponseOutcome[AcceptedCount + Rejected.Count];
        Array.Fill(outcomes, Duplicate ? ResponseOutcome.AlreadyApplied : ResponseOutcome.Counted);
        foreach (var other in OtherOutcomes)
        {
            outcomes[other.Index] = other.Outcome;
        }

        return outcomes;
    }
}
