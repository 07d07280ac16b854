using MathNet.Numerics.Distributions;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Statistics;

/// <summary>A two-sided confidence level, in percent (95 means 95 %).</summary>
public readonly record struct ConfidenceLevel
{
    public const double DefaultPercent = 95;
    public const double MinPercent = 80;
    public const double MaxPercent = 99.9;

    private ConfidenceLevel(double percent)
    {
        Percent = percent;
        Z = Normal.InvCDF(0, 1, 1 - ((1 - (percent / 100)) / 2));
    }

    public static ConfidenceLevel Default { get; } = new(DefaultPercent);

    public double Percent { get; }

    /// <summary>The standard normal quantile of the level: 1.959964 for 95 %.</summary>
    public double Z { get; }

    /// <summary>0 (unset) means the default; otherwise 80 to 99.9. Returns a violation for <paramref name="field"/>, or null.</summary>
    public static FieldViolation? TryCreate(double percent, string field, out ConfidenceLevel level)
    {
        level = Default;
        if (percent == 0)
        {
            return null;
        }

        if (double.IsNaN(percent) || percent < MinPercent || percent > MaxPercent)
        {
            return new FieldViolation(field, $"{field} is a percentage from {MinPercent} to {MaxPercent} (0 means {DefaultPercent}); got {percent}.");
        }

        level = new ConfidenceLevel(percent);
        return null;
    }
}
