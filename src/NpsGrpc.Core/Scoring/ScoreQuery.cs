using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Scoring;

/// <summary>What to score: a product, or one segment label of it.</summary>
public sealed record ScoreQuery(string ProductId, SegmentLabel? Segment)
{
    /// <summary>Validates and parses a query; throws <see cref="RequestValidationException"/> listing every problem.</summary>
    public static ScoreQuery Parse(string productId, string segment)
    {
        List<FieldViolation>? violations = null;
        var productProblem = Identifier.Explain(productId, "product_id", Identifier.MaxIdLength);
        if (productProblem is not null)
        {
            (violations ??= []).Add(new FieldViolation("product_id", productProblem));
        }

        SegmentLabel? label = null;
        if (segment.Length > 0)
        {
            var segmentProblem = SegmentLabel.TryParse(segment, out var parsed);
            if (segmentProblem is not null)
            {
                (violations ??= []).Add(new FieldViolation("segment", segmentProblem));
            }
            else
            {
                label = parsed;
            }
        }

        return violations is null ? new ScoreQuery(productId, label) : throw new RequestValidationException(violations);
    }
}
