using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Scoring;

/// <summary>What to score: a product, or one segment label of it.</summary>
public sealed record ScoreQuery(string ProductId, SegmentLabel? Segment)
{
    /// <summary>Validates and parses a query; throws <see cref="RequestValidationException"/> listing every problem.</summary>
    public static ScoreQuery Parse(string productId, string segment)
    {
        var violations = new List<FieldViolation>();
        var query = TryParse(productId, segment, string.Empty, violations);
        return query ?? throw new RequestValidationException(violations);
    }

    /// <summary>
    /// Validates a query whose fields sit under <paramref name="fieldPrefix"/> (such as <c>first.</c>), adding
    /// each problem to <paramref name="violations"/>; returns null when there was one.
    /// </summary>
    public static ScoreQuery? TryParse(string productId, string segment, string fieldPrefix, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        var productProblem = Identifier.Explain(productId, "product_id", Identifier.MaxIdLength);
        if (productProblem is not null)
        {
            violations.Add(new FieldViolation(fieldPrefix + "product_id", productProblem));
        }

        SegmentLabel? label = null;
        if (segment.Length > 0)
        {
            var segmentProblem = SegmentLabel.TryParse(segment, out var parsed);
            if (segmentProblem is not null)
            {
                violations.Add(new FieldViolation(fieldPrefix + "segment", segmentProblem));
            }
            else
            {
                label = parsed;
            }
        }

        return violations.Count == before ? new ScoreQuery(productId, label) : null;
    }

    public override string ToString() => Segment is { } label ? $"product '{ProductId}' segment {label}" : $"product '{ProductId}'";
}
