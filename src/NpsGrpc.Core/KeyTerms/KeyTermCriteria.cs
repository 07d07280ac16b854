using System.Globalization;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.KeyTerms;

/// <summary>What a term needs to be listed: |z| above <see cref="MinZ"/>, a count of at least <see cref="MinCount"/>
/// in detractors' and promoters' comments together; at most <see cref="MaxTerms"/> on each side.</summary>
public sealed record KeyTermCriteria(double MinZ, long MinCount, int MaxTerms)
{
    /// <summary>Two-sided 5 % significance for one term.</summary>
    public const double DefaultMinZ = 1.96;

    public const double MaxMinZ = 10;

    /// <summary>A term seen once or twice can reach a large |z| in a small corpus, and says little.</summary>
    public const int DefaultMinCount = 3;

    public const int MaxMinCount = 1_000_000;

    public const int DefaultMaxTerms = 20;

    public const int MaxMaxTerms = 100;

    public static KeyTermCriteria Default { get; } = new(DefaultMinZ, DefaultMinCount, DefaultMaxTerms);

    /// <summary>Validates the request's values (0 means the default), adding a violation per bad one; null when any.</summary>
    public static KeyTermCriteria? TryCreate(double minZ, int minCount, int maxTerms, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        if (double.IsNaN(minZ) || minZ < 0 || minZ > MaxMinZ)
        {
            violations.Add(new FieldViolation(
                "min_z", $"min_z is from 0 to {MaxMinZ} (0 means {DefaultMinZ}); got {minZ.ToString(CultureInfo.InvariantCulture)}."));
        }

        if (minCount is < 0 or > MaxMinCount)
        {
            violations.Add(new FieldViolation("min_count", $"min_count is from 1 to {MaxMinCount} (0 means {DefaultMinCount}); got {minCount}."));
        }

        if (maxTerms is < 0 or > MaxMaxTerms)
        {
            violations.Add(new FieldViolation("max_terms", $"max_terms is from 1 to {MaxMaxTerms} (0 means {DefaultMaxTerms}); got {maxTerms}."));
        }

        return violations.Count > before
            ? null
            : new KeyTermCriteria(
                minZ == 0 ? DefaultMinZ : minZ,
                minCount == 0 ? DefaultMinCount : minCount,
                maxTerms == 0 ? DefaultMaxTerms : maxTerms);
    }
}
