using NpsGrpc.Core.Statistics;

namespace NpsGrpc.Core.Scoring;

/// <summary>The Net Promoter Score of a set of responses, with the counts it comes from and how far it can be trusted.</summary>
public sealed record NpsScore(
    long Promoters,
    long Passives,
    long Detractors,
    double? Nps,
    double PromoterPercent,
    double PassivePercent,
    double DetractorPercent,
    IReadOnlyList<long> Distribution,
    double? StandardError,
    ConfidenceInterval? Interval)
{
    public long Total => Promoters + Passives + Detractors;

    /// <summary>True under <see cref="NpsStatistics.LowSampleThreshold"/> responses: the score is too thin to act on.</summary>
    public bool LowSample => Total < NpsStatistics.LowSampleThreshold;

    public GroupCounts Counts => new(Promoters, Passives, Detractors);

    public static NpsScore From(ScoreDistribution distribution) => From(distribution, ConfidenceLevel.Default);

    public static NpsScore From(ScoreDistribution distribution, ConfidenceLevel level)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var promoters = distribution.CountOf(ScoreCategory.Promoter);
        var passives = distribution.CountOf(ScoreCategory.Passive);
        var detractors = distribution.CountOf(ScoreCategory.Detractor);
        var total = promoters + passives + detractors;

        return new NpsScore(
            promoters,
            passives,
            detractors,
            // No responses means no score; 0 would claim balance that was never measured.
            total == 0 ? null : Percent(promoters - detractors, total),
            Percent(promoters, total),
            Percent(passives, total),
            Percent(detractors, total),
            distribution.Counts.ToArray(),
            NpsStatistics.StandardError(promoters, detractors, total),
            NpsStatistics.AdjustedWald(promoters, detractors, total, level));
    }

    // Multiplying before dividing keeps whole percentages exact: 7 of 100 is 7, where 7 / 100 * 100 gives 7.000000000000001.
    private static double Percent(long part, long total) => total == 0 ? 0 : part * 100.0 / total;
}
