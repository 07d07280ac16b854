using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Records;

/// <summary>A request to erase every record of one respondent on some products (the right to erasure).</summary>
public sealed record RespondentErasure(string RespondentId, IReadOnlyList<string> ProductIds)
{
    public const int MaxProducts = 100;

    /// <summary>Validates the request, adding each problem to <paramref name="violations"/>; returns null when there was one.</summary>
    public static RespondentErasure? TryParse(string respondentId, IReadOnlyList<string> productIds, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(productIds);
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        if (Identifier.Explain(respondentId, "respondent_id", Identifier.MaxIdLength) is { } respondentProblem)
        {
            violations.Add(new FieldViolation("respondent_id", respondentProblem));
        }

        if (productIds.Count is 0 or > MaxProducts)
        {
            violations.Add(new FieldViolation("product_ids", $"product_ids must name 1 to {MaxProducts} products; got {productIds.Count}."));
        }
        else
        {
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < productIds.Count; i++)
            {
                var field = $"product_ids[{i}]";
                if (Identifier.Explain(productIds[i], "product_id", Identifier.MaxIdLength) is { } productProblem)
                {
                    violations.Add(new FieldViolation(field, productProblem));
                }
                else if (!first.TryAdd(productIds[i], i))
                {
                    violations.Add(new FieldViolation(field, $"product '{productIds[i]}' is already named at product_ids[{first[productIds[i]]}]; name each product once."));
                }
            }
        }

        return violations.Count > before ? null : new RespondentErasure(respondentId, productIds);
    }
}
