using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.Tests.Scoring;

public class NpsScoreTests
{
    // The worked examples of the NPS reference: counts, then the exact NPS and percentages they give.
    [Theory]
    [InlineData(450, 300, 250, 20.0, 45.0, 30.0, 25.0)]
    [InlineData(50, 30, 20, 30.0, 50.0, 30.0, 20.0)]
    [InlineData(10, 0, 0, 100.0, 100.0, 0.0, 0.0)]
    [InlineData(0, 0, 3, -100.0, 0.0, 0.0, 100.0)]
    [InlineData(1, 2, 1, 0.0, 25.0, 50.0, 25.0)]
    public void Worked_examples_of_the_reference_score_exactly(
        int promoters,
        int passives,
        int detractors,
        double expectedNps,
        double expectedPromoterPercent,
        double expectedPassivePercent,
        double expectedDetractorPercent)
    {
        var distribution = Spread(promoters, passives, detractors);

        var score = NpsScore.From(distribution);

        Assert.Equal(promoters, score.Promoters);
        Assert.Equal(passives, score.Passives);
        Assert.Equal(detractors, score.Detractors);
        Assert.Equal(promoters + passives + detractors, score.Total);
        Assert.True(score.Nps.HasValue);
        Assert.Equal(expectedNps, score.Nps.Value);
        Assert.Equal(expectedPromoterPercent, score.PromoterPercent);
        Assert.Equal(expectedPassivePercent, score.PassivePercent);
        Assert.Equal(expectedDetractorPercent, score.DetractorPercent);
        Assert.Equal(distribution.Counts, score.Distribution);
    }

    // Dividing before multiplying would give 56.99999999999999, 14.000000000000002, 28.000000000000004 and the like here.
    [Theory]
    [InlineData(57, 14, 29, 28.0, 57.0, 14.0, 29.0)]
    [InlineData(7, 64, 29, -22.0, 7.0, 64.0, 29.0)]
    [InlineData(11, 5, 4, 35.0, 55.0, 25.0, 20.0)]
    public void Whole_number_scores_and_percentages_come_out_exact(
        int promoters,
        int passives,
        int detractors,
        double expectedNps,
        double expectedPromoterPercent,
        double expectedPassivePercent,
        double expectedDetractorPercent)
    {
        var score = NpsScore.From(Spread(promoters, passives, detractors));

        Assert.Equal(expectedNps, score.Nps);
        Assert.Equal(expectedPromoterPercent, score.PromoterPercent);
        Assert.Equal(expectedPassivePercent, score.PassivePercent);
        Assert.Equal(expectedDetractorPercent, score.DetractorPercent);
    }

    [Fact]
    public void No_responses_means_no_score_rather_than_zero()
    {
        var score = NpsScore.From(new ScoreDistribution());

        Assert.Null(score.Nps);
        Assert.Equal(0, score.Total);
        Assert.Equal(0, score.Promoters);
        Assert.Equal(0, score.Passives);
        Assert.Equal(0, score.Detractors);
        Assert.Equal(0.0, score.PromoterPercent);
        Assert.Equal(0.0, score.PassivePercent);
        Assert.Equal(0.0, score.DetractorPercent);
        Assert.Equal(new long[ScoreDistribution.Length], score.Distribution);
    }

    [Fact]
    public void Balanced_responses_score_a_real_zero_not_no_score()
    {
        var distribution = new ScoreDistribution();
        distribution.Add(10);
        distribution.Add(0);

        var score = NpsScore.From(distribution);

        Assert.Equal(0.0, score.Nps);
        Assert.Equal(50.0, score.PromoterPercent);
        Assert.Equal(50.0, score.DetractorPercent);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void Nine_and_ten_both_count_as_promoters(int promoterScore)
    {
        var distribution = new ScoreDistribution();
        distribution.Add(promoterScore, 4);

        var score = NpsScore.From(distribution);

        Assert.Equal(4, score.Promoters);
        Assert.Equal(100.0, score.Nps);
        Assert.Equal(100.0, score.PromoterPercent);
    }

    [Fact]
    public void Nines_and_tens_add_up_to_the_promoter_count()
    {
        var distribution = new ScoreDistribution();
        distribution.Add(9, 3);
        distribution.Add(10, 5);
        distribution.Add(0, 2);

        var score = NpsScore.From(distribution);

        Assert.Equal(8, score.Promoters);
        Assert.Equal(2, score.Detractors);
        Assert.Equal(60.0, score.Nps);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Seven_and_eight_are_passives_that_count_only_in_the_denominator(int passiveScore)
    {
        var distribution = new ScoreDistribution();
        distribution.Add(passiveScore, 2);
        distribution.Add(10, 2);

        var score = NpsScore.From(distribution);

        Assert.Equal(2, score.Passives);
        Assert.Equal(2, score.Promoters);
        Assert.Equal(0, score.Detractors);
        Assert.Equal(50.0, score.Nps);
        Assert.Equal(50.0, score.PassivePercent);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Every_score_from_zero_to_six_counts_as_a_detractor(int detractorScore)
    {
        var distribution = new ScoreDistribution();
        distribution.Add(detractorScore);

        var score = NpsScore.From(distribution);

        Assert.Equal(1, score.Detractors);
        Assert.Equal(0, score.Promoters);
        Assert.Equal(0, score.Passives);
        Assert.Equal(-100.0, score.Nps);
    }

    [Fact]
    public void The_score_keeps_the_eleven_counts_it_was_computed_from()
    {
        var counts = new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

        var score = NpsScore.From(ScoreDistribution.FromCounts(counts));

        Assert.Equal(counts, score.Distribution);
    }

    [Fact]
    public void Adding_to_the_distribution_afterwards_does_not_change_the_score()
    {
        var distribution = new ScoreDistribution();
        distribution.Add(10);
        var score = NpsScore.From(distribution);

        distribution.Add(0, 5);

        Assert.Equal(1, score.Distribution[10]);
        Assert.Equal(0, score.Distribution[0]);
        Assert.Equal(100.0, score.Nps);
    }

    [Fact]
    public void A_missing_distribution_is_an_error() =>
        Assert.Throws<ArgumentNullException>(() => NpsScore.From(null!));

    // Spreads each group over all of its scores, so the test exercises every score of a group, not just one.
    private static ScoreDistribution Spread(int promoters, int passives, int detractors)
    {
        var distribution = new ScoreDistribution();
        for (var i = 0; i < promoters; i++)
        {
            distribution.Add(9 + (i % 2));
        }

        for (var i = 0; i < passives; i++)
        {
            distribution.Add(7 + (i % 2));
        }

        for (var i = 0; i < detractors; i++)
        {
            distribution.Add(i % 7);
        }

        return distribution;
    }
}
