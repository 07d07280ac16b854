namespace NpsGrpc.Core.Validation;

/// <summary>The rule of every request that names several products at once: 1 to <see cref="MaxProducts"/> distinct valid ids.</summary>
public static class ProductIdList
{
    public const int MaxProducts = 100;

    /// <summary>Adds each problem of <paramref name="productIds"/> (field <paramref name="field"/>) to <paramref name="violations"/>; true when there was none.</summary>
    public static bool Validate(IReadOnlyList<string> productIds, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(productIds);
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        if (productIds.Count is 0 or > MaxProducts)
        {
            violations.Add(new FieldViolation(field, $"{field} must name 1 to {MaxProducts} products; got {productIds.Count}."));
            return false;
        }

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < productIds.Count; i++)
        {
            var path = $"{field}[{i}]";
            if (Identifier.Explain(productIds[i], "product_id", Identifier.MaxIdLength) is { } problem)
            {
                violations.Add(new FieldViolation(path, problem));
            }
            else if (!first.TryAdd(productIds[i], i))
            {
                violations.Add(new FieldViolation(path, $"product '{productIds[i]}' is already named at {field}[{first[productIds[i]]}]; name each product once."));
            }
        }

        return violations.Count == before;
    }
}
