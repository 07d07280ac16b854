using NpsGrpc.Core.Statistics;
using Xunit.Abstractions;

namespace NpsGrpc.Core.Tests.Statistics;

/// <summary>
/// Whether CompareScores keeps its promise: two groups drawn from the same distribution are called significant at
/// 95 % about 5 % of the time, never more than 6 %. Exact over every pair of multinomial outcomes up to n = 100,
/// from seeded draws of the exact distributions at n = 1000.
/// </summary>
public sealed class ComparisonLevelTests(ITestOutputHelper output)
{
    private const double Bound = 0.06;

    /// <summary>The probability of the unlikeliest outcomes left out of each group: it bounds how far a rate can be off.</summary>
    private const double Negligible = 1e-12;

    private static readonly ConfidenceLevel Level = ConfidenceLevel.Default;

    /// <summary>The verdict CompareScores returns.</summary>
    private static readonly Decision Verdict = (in Outcome a, in Outcome b) =>
        NpsStatistics.Judge(a.Adjusted, b.Adjusted, Level) == ComparisonVerdict.Significant;

    /// <summary>The adjusted z that CompareScores reports, without the low-sample rule: the level of the method itself.</summary>
    private static readonly Decision AdjustedZ = (in Outcome a, in Outcome b) =>
        Math.Abs(a.Adjusted.Nps - b.Adjusted.Nps) / Math.Sqrt(a.Adjusted.VarianceOfMean + b.Adjusted.VarianceOfMean) > Level.Z;

    /// <summary>The plain Wald z-test CompareScores used before: certain whenever both groups are unanimous.</summary>
    private static readonly Decision PlainWald = (in Outcome a, in Outcome b) =>
    {
        var standardError = Math.Sqrt(a.PlainVarianceOfMean + b.PlainVarianceOfMean);
        var difference = a.PlainNps - b.PlainNps;
        return standardError == 0 ? difference != 0 : Math.Abs(difference / standardError) > Level.Z;
    };

    [Theory]
    [InlineData(45, 30, 25, 5)]
    [InlineData(45, 30, 25, 10)]
    [InlineData(45, 30, 25, 30)]
    [InlineData(45, 30, 25, 100)]
    [InlineData(90, 5, 5, 5)]
    [InlineData(90, 5, 5, 10)]
    [InlineData(90, 5, 5, 30)]
    [InlineData(90, 5, 5, 100)]
    [InlineData(50, 0, 50, 5)]
    [InlineData(50, 0, 50, 10)]
    [InlineData(50, 0, 50, 30)]
    [InlineData(50, 0, 50, 100)]
    [InlineData(95, 5, 0, 5)]
    [InlineData(95, 5, 0, 10)]
    [InlineData(95, 5, 0, 30)]
    [InlineData(95, 5, 0, 100)]
    public void Two_groups_from_one_distribution_are_called_significant_at_most_6_percent_of_the_time_counted_exactly(
        int promoters, int passives, int detractors, int n)
    {
        var outcomes = GroupOutcomes.Of(n, promoters, passives, detractors, Negligible);
        Assert.Equal(1, outcomes.Kept + outcomes.LeftOut, 9);

        var rate = GroupOutcomes.ExactRate(outcomes, outcomes, Verdict);

        output.WriteLine($"{promoters}/{passives}/{detractors} at n = {n}: {rate:P3} significant over {outcomes.Count} outcomes a side");
        Assert.InRange(rate + (2 * outcomes.LeftOut), 0, Bound);
        if (n < NpsStatistics.LowSampleThreshold)
        {
            Assert.Equal(0, rate);

            // Below 30 no verdict is given, yet the z reported holds the level there too.
            var adjustedZ = GroupOutcomes.ExactRate(outcomes, outcomes, AdjustedZ);
            output.WriteLine($"    the adjusted z alone: {adjustedZ:P3}");
            Assert.InRange(adjustedZ + (2 * outcomes.LeftOut), 0, Bound);
        }
    }

    [Theory]
    [InlineData(45, 30, 25)]
    [InlineData(90, 5, 5)]
    [InlineData(50, 0, 50)]
    [InlineData(95, 5, 0)]
    public void Two_groups_of_1000_from_one_distribution_are_called_significant_at_most_6_percent_of_the_time_in_seeded_draws(
        int promoters, int passives, int detractors)
    {
        var outcomes = GroupOutcomes.Of(1000, promoters, passives, detractors, Negligible);
        Assert.Equal(1, outcomes.Kept + outcomes.LeftOut, 9);

        // 200 000 pairs put the standard error of the share near 0.0005: a true rate of 5 % lands far below 6 %, and
        // far above 3 %, under which a test that hardly ever fires would pass unnoticed.
        var rate = GroupOutcomes.SimulatedRate(outcomes, outcomes, Verdict, pairs: 200_000, seed: promoters * 10_000 + detractors);

        output.WriteLine($"{promoters}/{passives}/{detractors} at n = 1000: {rate:P3} significant");
        Assert.InRange(rate, 0.03, Bound);
    }

    [Theory]
    [InlineData(45, 30, 25, 5, 0.12)]
    [InlineData(50, 0, 50, 10, 0.088)]
    public void The_plain_wald_test_that_came_before_fails_the_same_count(int promoters, int passives, int detractors, int n, double reference)
    {
        var outcomes = GroupOutcomes.Of(n, promoters, passives, detractors, Negligible);

        var rate = GroupOutcomes.ExactRate(outcomes, outcomes, PlainWald);

        output.WriteLine($"plain Wald, {promoters}/{passives}/{detractors} at n = {n}: {rate:P3} significant");
        Assert.True(rate > Bound, $"The plain Wald test calls {rate:P2} of same-distribution pairs significant.");
        Assert.Equal(reference, rate, 3);
    }

    [Fact]
    public void A_large_difference_at_100_a_side_is_found_nearly_always()
    {
        var better = GroupOutcomes.Of(100, 60, 20, 20, Negligible);
        var worse = GroupOutcomes.Of(100, 20, 20, 60, Negligible);

        var power = GroupOutcomes.ExactRate(better, worse, Verdict);

        output.WriteLine($"power: {power:P3}");
        Assert.InRange(power, 0.999, 1);
    }

    [Fact]
    public void A_modest_difference_at_100_a_side_is_found_about_as_often_as_the_plain_wald_test_finds_it()
    {
        var better = GroupOutcomes.Of(100, 50, 30, 20, Negligible);
        var worse = GroupOutcomes.Of(100, 40, 30, 30, Negligible);

        var adjusted = GroupOutcomes.ExactRate(better, worse, Verdict);
        var plain = GroupOutcomes.ExactRate(better, worse, PlainWald);

        output.WriteLine($"power: adjusted {adjusted:P3}, plain Wald {plain:P3}");
        // The adjustment costs a little power at this size, never most of it.
        Assert.InRange(adjusted, 0.9 * plain, plain);
    }

    [Fact]
    public void Compare_returns_the_verdict_counted_here_for_every_pair_of_outcomes_of_30()
    {
        var outcomes = GroupOutcomes.Of(30, 45, 30, 25);

        var disagreeing = GroupOutcomes.ExactRate(outcomes, outcomes, (in Outcome a, in Outcome b) =>
        {
            var comparison = NpsStatistics.Compare(a.Counts, b.Counts, Level);
            return comparison.Significant != Verdict(a, b) || comparison.Significant != AdjustedZ(a, b)
                || comparison.Significant != (comparison.PValue < 0.05);
        });

        Assert.Equal(0, disagreeing);
    }
}
