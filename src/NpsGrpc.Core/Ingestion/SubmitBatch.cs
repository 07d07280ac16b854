using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Ingestion;

/// <summary>Identifies a batch for exactly-once delivery: the producer and its batch number.</summary>
public readonly record struct WriterStamp(string WriterId, long Sequence);

/// <summary>The request-level rules of a submitted batch (as opposed to the per-response rules).</summary>
public static class SubmitBatchValidator
{
    /// <summary>
    /// Returns the violations that make the request malformed as a whole; empty when it may be processed.
    /// </summary>
    public static IReadOnlyList<FieldViolation> Validate(string writerId, long sequence, int responseCount, int maxResponses)
    {
        List<FieldViolation>? violations = null;

        if (responseCount > maxResponses)
        {
            (violations ??= []).Add(new FieldViolation(
                "responses",
                $"a request carries at most {maxResponses} responses; got {responseCount}. Split the batch."));
        }

        if (writerId.Length > 0)
        {
            var problem = Identifier.Explain(writerId, "writer_id", Identifier.MaxIdLength);
            if (problem is not null)
            {
                (violations ??= []).Add(new FieldViolation("writer_id", problem));
            }

            if (sequence < 1)
            {
                (violations ??= []).Add(new FieldViolation(
                    "sequence",
                    $"sequence is required (1 or more) when writer_id is set; got {sequence}."));
            }
        }

        return violations ?? (IReadOnlyList<FieldViolation>)[];
    }

    /// <summary>The stamp to deduplicate with, or null for at-least-once delivery.</summary>
    public static WriterStamp? StampOf(string writerId, long sequence) =>
        writerId.Length == 0 ? null : new WriterStamp(writerId, sequence);
}
