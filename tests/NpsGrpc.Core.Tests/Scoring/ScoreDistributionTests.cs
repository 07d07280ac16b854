using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.Tests.Scoring;

public class ScoreDistributionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(12)]
    public void A_distribution_is_built_from_exactly_eleven_counts(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => ScoreDistribution.FromCounts(new long[length]));
        Assert.Equal("counts", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(10)]
    public void Negative_counts_are_rejected_wherever_they_are(int score)
    {
        var counts = new long[ScoreDistribution.Length];
        counts[score] = -1;

        var error = Assert.Throws<ArgumentException>(() => ScoreDistribution.FromCounts(counts));
        Assert.Equal("counts", error.ParamName);
    }

    [Fact]
    public void Missing_counts_are_an_error() =>
        Assert.Throws<ArgumentNullException>(() => ScoreDistribution.FromCounts(null!));

    [Fact]
    public void Counts_are_copied_so_changing_the_source_afterwards_changes_nothing()
    {
        var source = new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        var distribution = ScoreDistribution.FromCounts(source);

        source[3] = 1000;
        source[10] = -5;

        Assert.Equal(3, distribution[3]);
        Assert.Equal(10, distribution[10]);
        Assert.Equal(55, distribution.Total);
    }

    [Fact]
    public void Each_count_is_read_back_under_its_score()
    {
        var distribution = ScoreDistribution.FromCounts([5, 0, 0, 0, 0, 0, 0, 2, 0, 0, 9]);

        Assert.Equal(5, distribution[0]);
        Assert.Equal(2, distribution[7]);
        Assert.Equal(9, distribution[10]);
        Assert.Equal(0, distribution[9]);
        Assert.Equal([5L, 0, 0, 0, 0, 0, 0, 2, 0, 0, 9], distribution.Counts);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Adding_a_score_outside_zero_to_ten_is_rejected_and_counts_nothing(int score)
    {
        var distribution = new ScoreDistribution();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => distribution.Add(score));

        Assert.Equal("score", error.ParamName);
        Assert.True(distribution.IsEmpty);
        Assert.Equal(0, distribution.Total);
    }

    [Fact]
    public void A_new_distribution_is_empty_with_eleven_zero_counts()
    {
        var distribution = new ScoreDistribution();

        Assert.True(distribution.IsEmpty);
        Assert.Equal(0, distribution.Total);
        Assert.Equal(11, ScoreDistribution.Length);
        Assert.Equal(new long[11], distribution.Counts);
    }

    [Fact]
    public void Adding_one_response_makes_it_non_empty()
    {
        var distribution = new ScoreDistribution();

        distribution.Add(0);

        Assert.False(distribution.IsEmpty);
        Assert.Equal(1, distribution.Total);
        Assert.Equal(1, distribution[0]);
    }

    [Fact]
    public void Adding_with_a_count_adds_that_many_responses_to_the_score()
    {
        var distribution = new ScoreDistribution();

        distribution.Add(9, 5);
        distribution.Add(9);
        distribution.Add(4, 3);

        Assert.Equal(6, distribution[9]);
        Assert.Equal(3, distribution[4]);
        Assert.Equal(9, distribution.Total);
    }

    [Fact]
    public void Adding_a_negative_count_is_refused_so_a_distribution_never_goes_below_zero()
    {
        var distribution = new ScoreDistribution();

        Assert.Throws<ArgumentOutOfRangeException>(() => distribution.Add(9, -1));
        Assert.True(distribution.IsEmpty);
    }

    [Fact]
    public void An_all_zero_distribution_from_counts_is_empty()
    {
        var distribution = ScoreDistribution.FromCounts(new long[ScoreDistribution.Length]);

        Assert.True(distribution.IsEmpty);
        Assert.Equal(0, distribution.Total);
    }

    [Fact]
    public void Total_is_the_sum_of_all_eleven_counts()
    {
        var distribution = ScoreDistribution.FromCounts(PowersOfTwo());

        Assert.Equal((1L << 11) - 1, distribution.Total);
        Assert.False(distribution.IsEmpty);
    }

    [Fact]
    public void CountOf_sums_the_scores_of_each_category()
    {
        // Score s holds 2^s responses, so every sum of scores is distinct and a misplaced score shows.
        var distribution = ScoreDistribution.FromCounts(PowersOfTwo());

        Assert.Equal(1L + 2 + 4 + 8 + 16 + 32 + 64, distribution.CountOf(ScoreCategory.Detractor));
        Assert.Equal(128L + 256, distribution.CountOf(ScoreCategory.Passive));
        Assert.Equal(512L + 1024, distribution.CountOf(ScoreCategory.Promoter));
    }

    private static long[] PowersOfTwo() => [.. Enumerable.Range(0, ScoreDistribution.Length).Select(s => 1L << s)];
}
