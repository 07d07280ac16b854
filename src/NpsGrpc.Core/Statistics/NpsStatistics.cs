using MathNet.Numerics.Distributions;

namespace NpsGrpc.Core.Statistics;

/// <summary>An interval estimate, in NPS points.</summary>
public sealed record ConfidenceInterval(double Lower, double Upper, double ConfidencePercent);

/// <summary>
/// How far an NPS can be trusted. Each respondent is coded +1 (promoter), 0 (passive), −1 (detractor), and
/// NPS/100 is the mean of that code, so the usual statistics of a mean apply.
/// </summary>
public static class NpsStatistics
{
    /// <summary>Under this many responses a score is too thin to act on.</summary>
    public const long LowSampleThreshold = 30;

    /// <summary>Variance of one coded answer: p + d − (p − d)².</summary>
    public static double Variance(long promoters, long detractors, long total)
    {
        var p = (double)promoters / total;
        var d = (double)detractors / total;
        return p + d - ((p - d) * (p - d));
    }

    /// <summary>Standard error of the NPS in points (Wald); null without responses.</summary>
    public static double? StandardError(long promoters, long detractors, long total) =>
        total == 0 ? null : 100 * Math.Sqrt(Variance(promoters, detractors, total) / total);

    /// <summary>
    /// Adjusted Wald interval (Rocks 2016): add 3 pseudo-responses (¾ promoter, ¾ detractor, 1½ passive), which
    /// keeps coverage near the nominal level for small samples and extreme scores; clamped to [−100, 100].
    /// </summary>
    public static ConfidenceInterval? AdjustedWald(long promoters, long detractors, long total, ConfidenceLevel level)
    {
        if (total == 0)
        {
            return null;
        }

        var n = total + 3.0;
        var p = (promoters + 0.75) / n;
        var d = (detractors + 0.75) / n;
        var centre = 100 * (p - d);
        var halfWidth = level.Z * 100 * Math.Sqrt((p + d - ((p - d) * (p - d))) / n);
        return new ConfidenceInterval(Math.Max(-100, centre - halfWidth), Math.Min(100, centre + halfWidth), level.Percent);
    }

    /// <summary>Wald z-test of the difference between two independent groups.</summary>
    public static ScoreComparison Compare(GroupCounts first, GroupCounts second, ConfidenceLevel level)
    {
        if (first.Total == 0 || second.Total == 0)
        {
            throw new ArgumentException("Both groups need responses to be compared.");
        }

        var difference = (first.Promoters - first.Detractors) * 100.0 / first.Total
            - ((second.Promoters - second.Detractors) * 100.0 / second.Total);
        var standardError = 100 * Math.Sqrt(
            (Variance(first.Promoters, first.Detractors, first.Total) / first.Total)
            + (Variance(second.Promoters, second.Detractors, second.Total) / second.Total));
        var interval = new ConfidenceInterval(difference - (level.Z * standardError), difference + (level.Z * standardError), level.Percent);

        if (standardError == 0)
        {
            // Both groups answered unanimously: the test is degenerate. Any difference is then certain as far as
            // the data can tell, and no difference is no evidence of one.
            return new ScoreComparison(difference, 0, interval, null, difference == 0 ? 1 : 0, difference != 0);
        }

        var z = difference / standardError;
        // The lower tail keeps precision where 1 − CDF(|z|) would round to 0.
        var pValue = 2 * Normal.CDF(0, 1, -Math.Abs(z));
        return new ScoreComparison(difference, standardError, interval, z, pValue, pValue < 1 - (level.Percent / 100));
    }
}

/// <summary>The counts a comparison needs from one group.</summary>
public readonly record struct GroupCounts(long Promoters, long Passives, long Detractors)
{
    public long Total => Promoters + Passives + Detractors;
}

/// <summary>The difference first − second, in NPS points, with its Wald standard error, interval and test.</summary>
public sealed record ScoreComparison(
    double Difference,
    double StandardError,
    ConfidenceInterval DifferenceInterval,
    double? Z,
    double PValue,
    bool Significant);
