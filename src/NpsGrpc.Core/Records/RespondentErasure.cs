using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Records;

/// <summary>A request to erase every record of one respondent on some products (the right to erasure).</summary>
public sealed record RespondentErasure(string RespondentId, IReadOnlyList<string> ProductIds)
{
    public const int MaxProducts = ProductIdList.MaxProducts;

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

        ProductIdList.Validate(productIds, "product_ids", violations);

        return violations.Count > before ? null : new RespondentErasure(respondentId, productIds);
    }
}
