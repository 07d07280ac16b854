using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Reads an acknowledgement's sparse outcomes back as one outcome per response of its request.</summary>
internal static class AckOutcomes
{
    /// <summary>
    /// Every response of the request is valid (accepted) or rejected, so the ack alone says how many there were; a
    /// response not listed in other_outcomes was counted, or, in a duplicate, already applied.
    /// </summary>
    public static ResponseOutcome[] AllOutcomes(this SubmitResponsesResponse ack)
    {
        var outcomes = new ResponseOutcome[ack.AcceptedCount + ack.Rejected.Count];
        Array.Fill(outcomes, ack.Duplicate ? ResponseOutcome.AlreadyApplied : ResponseOutcome.Counted);
        foreach (var other in ack.OtherOutcomes)
        {
            outcomes[other.Index] = other.Outcome;
        }

        return outcomes;
    }
}
