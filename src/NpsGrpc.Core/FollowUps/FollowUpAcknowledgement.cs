using NpsGrpc.Core.Records;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.FollowUps;

/// <summary>One delivery marked done: what the worker did and its note (NFC, empty for none).</summary>
public sealed record FollowUpAcknowledgement(FollowUpAckId AckId, FollowUpOutcome Outcome, string Note)
{
    public const int MaxPerRequest = 1000;

    /// <summary>
    /// Validates an AcknowledgeFollowUps request, given as (ack id, outcome number, note) in request order, adding each
    /// problem to <paramref name="violations"/> under <c>acknowledgements[i]</c>; returns null when there was one.
    /// </summary>
    public static IReadOnlyList<FollowUpAcknowledgement>? TryParseAll(
        IReadOnlyList<(string AckId, int Outcome, string Note)> acknowledgements, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        ArgumentNullException.ThrowIfNull(violations);
        if (acknowledgements.Count is 0 or > MaxPerRequest)
        {
            violations.Add(new FieldViolation("acknowledgements", $"acknowledgements must hold 1 to {MaxPerRequest}; got {acknowledgements.Count}."));
            return null;
        }

        var before = violations.Count;
        var parsed = new List<FollowUpAcknowledgement>(acknowledgements.Count);
        for (var i = 0; i < acknowledgements.Count; i++)
        {
            var (ackId, outcome, note) = acknowledgements[i];
            var field = $"acknowledgements[{i}]";
            if (!FollowUpAckId.TryParse(ackId, out var id))
            {
                violations.Add(new FieldViolation(
                    field + ".ack_id",
                    ackId.Length == 0 ? "ack_id is required." : "ack_id is not one this server issues; send a delivery's ack_id unchanged."));
            }

            if (outcome == (int)FollowUpOutcome.Unspecified || !Enum.IsDefined((FollowUpOutcome)outcome))
            {
                violations.Add(new FieldViolation(field + ".outcome", $"outcome is required: one of the FollowUpOutcome values other than FOLLOW_UP_OUTCOME_UNSPECIFIED; got {outcome}."));
            }

            if (NoteText.Explain(note, "note", out var normalized) is { } problem)
            {
                violations.Add(new FieldViolation(field + ".note", problem));
            }

            parsed.Add(new FollowUpAcknowledgement(id, (FollowUpOutcome)outcome, normalized));
        }

        return violations.Count > before ? null : parsed;
    }
}

/// <summary>What became of one acknowledgement.</summary>
public enum AcknowledgementResult
{
    /// <summary>Taken now, or by an earlier identical acknowledgement.</summary>
    Taken,

    /// <summary>No such delivery: its product, group or record does not exist (never did, trimmed or erased).</summary>
    Unknown,

    /// <summary>The lease expired and the record went to another worker, which holds it or acknowledged it.</summary>
    StaleLease,
}
