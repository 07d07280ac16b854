using NpsGrpc.Core.Statistics;

namespace NpsGrpc.Core.Tests.Statistics;

/// <summary>Against the reference values of shared/nps-reference.md, to the 4 decimals it gives.</summary>
public sealed class NpsStatisticsTests
{
    private const int Decimals = 4;

    [Theory]
    [InlineData(450, 300, 250, 2.5690)]
    [InlineData(50, 30, 20, 7.8102)]
    [InlineData(10, 0, 0, 0.0)]
    public void The_standard_error_matches_the_reference(long promoters, long passives, long detractors, double expected)
    {
        var se = NpsStatistics.StandardError(promoters, detractors, promoters + passives + detractors);

        Assert.Equal(expected, se!.Value, Decimals);
    }

    [Theory]
    [InlineData(450, 300, 250, 14.9648, 25.0352)]
    [InlineData(50, 30, 20, 14.6922, 45.3078)]
    [InlineData(5, 3, 2, -18.4075, 78.4075)]
    [InlineData(10, 0, 0, 100.0, 100.0)]
    public void The_plain_wald_interval_of_the_reference_is_the_score_plus_or_minus_z_standard_errors(
        long promoters, long passives, long detractors, double lower, double upper)
    {
        var total = promoters + passives + detractors;
        var nps = (promoters - detractors) * 100.0 / total;
        var se = NpsStatistics.StandardError(promoters, detractors, total)!.Value;
        var z = ConfidenceLevel.Default.Z;

        Assert.Equal(lower, nps - (z * se), Decimals);
        Assert.Equal(upper, nps + (z * se), Decimals);
    }

    [Theory]
    [InlineData(450, 300, 250, 14.9138, 24.9665)]
    [InlineData(50, 30, 20, 14.0511, 44.2013)]
    [InlineData(5, 3, 2, -19.0506, 65.2045)]
    [InlineData(10, 0, 0, 47.5036, 100.0)]
    public void The_adjusted_wald_interval_matches_the_reference_and_is_clamped_to_100(
        long promoters, long passives, long detractors, double lower, double upper)
    {
        var interval = NpsStatistics.AdjustedWald(promoters, detractors, promoters + passives + detractors, ConfidenceLevel.Default)!;

        Assert.Equal(lower, interval.Lower, Decimals);
        Assert.Equal(upper, interval.Upper, Decimals);
        Assert.Equal(95, interval.ConfidencePercent);
    }

    [Fact]
    public void All_detractors_clamp_the_lower_bound_to_minus_100()
    {
        var interval = NpsStatistics.AdjustedWald(0, 10, 10, ConfidenceLevel.Default)!;

        Assert.Equal(-100, interval.Lower);
        Assert.Equal(-47.5036, interval.Upper, Decimals);
    }

    [Fact]
    public void A_single_response_still_gets_a_finite_interval_inside_the_scale()
    {
        var interval = NpsStatistics.AdjustedWald(1, 0, 1, ConfidenceLevel.Default)!;

        Assert.InRange(interval.Lower, -100, 100);
        Assert.InRange(interval.Upper, interval.Lower, 100);
        Assert.True(interval.Upper - interval.Lower > 50, "One answer says little: the interval must be wide.");
    }

    [Fact]
    public void No_responses_have_no_standard_error_and_no_interval()
    {
        Assert.Null(NpsStatistics.StandardError(0, 0, 0));
        Assert.Null(NpsStatistics.AdjustedWald(0, 0, 0, ConfidenceLevel.Default));
    }

    [Fact]
    public void A_higher_confidence_level_gives_a_wider_interval()
    {
        TryLevel(99, out var wide);
        TryLevel(80, out var narrow);

        var at99 = NpsStatistics.AdjustedWald(50, 20, 100, wide)!;
        var at80 = NpsStatistics.AdjustedWald(50, 20, 100, narrow)!;

        Assert.True(at99.Upper - at99.Lower > at80.Upper - at80.Lower);
        Assert.Equal(2.575829, wide.Z, 6);
        Assert.Equal(1.281552, narrow.Z, 6);
    }

    [Theory]
    [InlineData(450, 300, 250, 400, 300, 300, 10, 3.6675, 2.7185, 0.006558, 2.7819, 17.1583, ComparisonVerdict.Significant)]
    [InlineData(50, 30, 20, 40, 30, 30, 20, 11.2089, 1.7323, 0.083216, -2.5516, 41.3865, ComparisonVerdict.NotSignificant)]
    [InlineData(5, 3, 2, 2, 3, 5, 60, 30.3972, 1.5184, 0.128924, -13.4235, 105.7312, ComparisonVerdict.InsufficientData)]
    [InlineData(1, 0, 0, 0, 0, 1, 200, 53.0330, 0.9428, 0.345779, -53.9428, 153.9428, ComparisonVerdict.InsufficientData)]
    public void Two_groups_compare_as_in_the_reference_adjusted_wald_table(
        long p1, long pa1, long d1, long p2, long pa2, long d2, double delta, double se, double z, double p,
        double lower, double upper, ComparisonVerdict verdict)
    {
        var comparison = NpsStatistics.Compare(new GroupCounts(p1, pa1, d1), new GroupCounts(p2, pa2, d2), ConfidenceLevel.Default);

        Assert.Equal(delta, comparison.Difference, 10);
        Assert.Equal(se, comparison.StandardError, Decimals);
        Assert.Equal(z, comparison.Z!.Value, Decimals);
        Assert.Equal(p, comparison.PValue, SignificantDigits(p, 4));
        Assert.Equal(lower, comparison.DifferenceInterval.Lower, Decimals);
        Assert.Equal(upper, comparison.DifferenceInterval.Upper, Decimals);
        Assert.Equal(95, comparison.DifferenceInterval.ConfidencePercent);
        Assert.Equal(verdict, comparison.Verdict);
        Assert.Equal(verdict == ComparisonVerdict.Significant, comparison.Significant);
    }

    [Fact]
    public void Swapping_the_groups_flips_the_sign_and_keeps_the_p_value()
    {
        var ab = NpsStatistics.Compare(new GroupCounts(450, 300, 250), new GroupCounts(400, 300, 300), ConfidenceLevel.Default);
        var ba = NpsStatistics.Compare(new GroupCounts(400, 300, 300), new GroupCounts(450, 300, 250), ConfidenceLevel.Default);

        Assert.Equal(-ab.Difference, ba.Difference, 10);
        Assert.Equal(-ab.Z!.Value, ba.Z!.Value, 10);
        Assert.Equal(-ab.DifferenceInterval.Upper, ba.DifferenceInterval.Lower, 10);
        Assert.Equal(ab.PValue, ba.PValue, 12);
        Assert.Equal(ab.Verdict, ba.Verdict);
    }

    [Fact]
    public void One_answer_a_side_is_never_significant_whatever_the_difference()
    {
        var comparison = NpsStatistics.Compare(new GroupCounts(1, 0, 0), new GroupCounts(0, 0, 1), ConfidenceLevel.Default);

        Assert.Equal(200, comparison.Difference);
        Assert.False(comparison.Significant);
        Assert.Equal(ComparisonVerdict.InsufficientData, comparison.Verdict);
        Assert.True(comparison.StandardError > 50, "One answer a side says little: the standard error must be wide.");
    }

    [Theory]
    [InlineData(29, 30)]
    [InlineData(30, 29)]
    public void Unanimous_groups_that_differ_are_insufficient_data_while_either_is_under_30(long first, long second)
    {
        var comparison = NpsStatistics.Compare(new GroupCounts(first, 0, 0), new GroupCounts(0, 0, second), ConfidenceLevel.Default);

        Assert.Equal(200, comparison.Difference);
        Assert.Equal(ComparisonVerdict.InsufficientData, comparison.Verdict);
        Assert.True(comparison.PValue < 1e-6, "The adjusted z is still reported: only the verdict is withheld.");
    }

    [Fact]
    public void Unanimous_groups_of_30_that_differ_are_significant_with_a_finite_z()
    {
        var comparison = NpsStatistics.Compare(new GroupCounts(30, 0, 0), new GroupCounts(0, 0, 30), ConfidenceLevel.Default);

        Assert.Equal(ComparisonVerdict.Significant, comparison.Verdict);
        Assert.True(comparison.StandardError > 0);
        Assert.True(double.IsFinite(comparison.Z!.Value));
        Assert.InRange(comparison.DifferenceInterval.Upper, comparison.DifferenceInterval.Lower, 200);
    }

    [Fact]
    public void Unanimous_groups_that_agree_show_no_difference()
    {
        var comparison = NpsStatistics.Compare(new GroupCounts(40, 0, 0), new GroupCounts(70, 0, 0), ConfidenceLevel.Default);

        Assert.Equal(0, comparison.Difference);
        Assert.Equal(ComparisonVerdict.NotSignificant, comparison.Verdict);
        Assert.InRange(0, comparison.DifferenceInterval.Lower, comparison.DifferenceInterval.Upper);
    }

    [Fact]
    public void A_standard_error_that_rounding_cancels_gives_no_z_no_p_value_and_no_verdict()
    {
        // At 4·10^18 answers a side, n + 3 and P + 0.75 round to n in a double: the adjusted variance cancels to 0.
        const long Huge = 4_000_000_000_000_000_000;
        var comparison = NpsStatistics.Compare(new GroupCounts(Huge, 0, 0), new GroupCounts(0, 0, Huge), ConfidenceLevel.Default);

        Assert.Equal(0, comparison.StandardError);
        Assert.Null(comparison.Z);
        Assert.True(double.IsNaN(comparison.PValue));
        Assert.Equal(ComparisonVerdict.InsufficientData, comparison.Verdict);
        Assert.False(comparison.Significant);
    }

    [Fact]
    public void A_group_without_responses_cannot_be_compared()
    {
        Assert.Throws<ArgumentException>(() => NpsStatistics.Compare(new GroupCounts(1, 0, 0), new GroupCounts(0, 0, 0), ConfidenceLevel.Default));
    }

    [Theory]
    [InlineData(0, 95, 1.959964)]
    [InlineData(95, 95, 1.959964)]
    [InlineData(80, 80, 1.281552)]
    [InlineData(99.9, 99.9, 3.290527)]
    public void Confidence_levels_from_80_to_99_9_are_accepted_and_0_means_95(double requested, double percent, double z)
    {
        Assert.Null(ConfidenceLevel.TryCreate(requested, "confidence_percent", out var level));
        Assert.Equal(percent, level.Percent);
        Assert.Equal(z, level.Z, 6);
    }

    [Theory]
    [InlineData(79.9)]
    [InlineData(100)]
    [InlineData(0.95)]
    [InlineData(-95)]
    [InlineData(double.NaN)]
    public void Confidence_levels_outside_80_to_99_9_are_refused_with_the_field_named(double requested)
    {
        var violation = ConfidenceLevel.TryCreate(requested, "first.confidence_percent", out _);

        Assert.NotNull(violation);
        Assert.Equal("first.confidence_percent", violation.Field);
        Assert.Contains("80 to 99.9", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(450, 300, 250, 400, 300, 300, 3.6742, 2.7217)]
    [InlineData(50, 30, 20, 40, 30, 30, 11.4018, 1.7541)]
    public void Where_groups_are_large_the_adjusted_test_stays_close_to_the_plain_wald_reference_rows(
        long p1, long pa1, long d1, long p2, long pa2, long d2, double plainSe, double plainZ)
    {
        // The reference's plain Wald rows, from its own formula: SE = 100·√(v₁/n₁ + v₂/n₂).
        var n1 = p1 + pa1 + d1;
        var n2 = p2 + pa2 + d2;
        var se = 100 * Math.Sqrt((NpsStatistics.Variance(p1, d1, n1) / n1) + (NpsStatistics.Variance(p2, d2, n2) / n2));
        var delta = ((p1 - d1) * 100.0 / n1) - ((p2 - d2) * 100.0 / n2);
        Assert.Equal(plainSe, se, 4);
        Assert.Equal(plainZ, delta / se, 4);

        var adjusted = NpsStatistics.Compare(new GroupCounts(p1, pa1, d1), new GroupCounts(p2, pa2, d2), ConfidenceLevel.Default);

        // The pseudo-responses matter less the larger the groups: within 2 % of the plain figures at n = 100, 0.2 % at 1000.
        var tolerance = n1 >= 1000 ? 0.002 : 0.02;
        Assert.InRange(adjusted.StandardError / plainSe, 1 - tolerance, 1 + tolerance);
        Assert.InRange(adjusted.Z!.Value / plainZ, 1 - tolerance, 1 + tolerance);
    }

    private static void TryLevel(double percent, out ConfidenceLevel level) =>
        Assert.Null(ConfidenceLevel.TryCreate(percent, "confidence_percent", out level));

    private static int SignificantDigits(double value, int digits) => digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
}
