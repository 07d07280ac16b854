using NpsGrpc.Core.KeyTerms;
using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.Tests.KeyTerms;

public class KeyTermStatisticsTests
{
    [Fact]
    public void The_z_score_is_the_contract_formula_worked_by_hand()
    {
        // "slow": 10 of the detractors' 100 terms, 2 of the promoters' 100, 3 of the passives' 50; so a = 15, a0 = 250.
        var delta = Math.Log((10.0 + 15) / (100 + 250 - 10 - 15)) - Math.Log((2.0 + 15) / (100 + 250 - 2 - 15));
        var variance = (1 / (10.0 + 15)) + (1 / (2.0 + 15));
        var expected = delta / Math.Sqrt(variance);

        var z = KeyTermStatistics.ZScore(10, 2, 15, 100, 100, 250);

        Assert.Equal(expected, z, 12);
        Assert.Equal(1.3041641772639831, z, 12);
    }

    [Fact]
    public void A_term_used_alike_by_both_sides_of_equal_size_has_z_zero()
    {
        Assert.Equal(0, KeyTermStatistics.ZScore(7, 7, 20, 100, 100, 260), 12);
    }

    [Fact]
    public void Swapping_detractors_and_promoters_negates_z()
    {
        var z = KeyTermStatistics.ZScore(9, 2, 13, 120, 80, 260);

        Assert.Equal(-z, KeyTermStatistics.ZScore(2, 9, 13, 80, 120, 260), 12);
        Assert.True(z > 0);
    }

    [Fact]
    public void The_same_lean_on_more_evidence_gives_a_larger_z()
    {
        var rare = KeyTermStatistics.ZScore(2, 1, 3, 1000, 1000, 2000);
        var common = KeyTermStatistics.ZScore(20, 10, 30, 1000, 1000, 2000);

        Assert.True(common > 2 * rare, $"z {common} on 30 uses against {rare} on 3");
    }

    [Fact]
    public void A_term_that_is_every_term_of_the_corpus_has_no_z()
    {
        Assert.True(double.IsNaN(KeyTermStatistics.ZScore(4, 6, 10, 4, 6, 10)));
    }

    [Fact]
    public void On_a_known_corpus_the_complaints_lean_to_detractors_and_the_praise_to_promoters()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 30), ("support", 20), ("app", 50), ("use", 40), ("love", 1));
        Count(tallies, ScoreCategory.Passive, ("slow", 5), ("app", 30), ("use", 20), ("easy", 5));
        Count(tallies, ScoreCategory.Promoter, ("love", 30), ("easy", 25), ("app", 50), ("use", 40), ("slow", 1));

        var result = KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default);

        Assert.Equal(["slow", "support"], result.DetractorTerms.Select(term => term.Term).Order(StringComparer.Ordinal));
        Assert.Equal(["easy", "love"], result.PromoterTerms.Select(term => term.Term).Order(StringComparer.Ordinal));
        Assert.All(result.DetractorTerms, term => Assert.True(term.Z > KeyTermCriteria.DefaultMinZ));
        Assert.All(result.PromoterTerms, term => Assert.True(term.Z < -KeyTermCriteria.DefaultMinZ));
    }

    [Fact]
    public void Each_term_reports_its_counts_in_every_category_and_the_z_of_the_formula()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 30), ("app", 70));
        Count(tallies, ScoreCategory.Passive, ("slow", 5), ("app", 45));
        Count(tallies, ScoreCategory.Promoter, ("slow", 2), ("app", 98));

        var slow = Assert.Single(KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default).DetractorTerms);

        Assert.Equal(new KeyTerm("slow", "slow", 30, 5, 2, KeyTermStatistics.ZScore(30, 2, 37, 100, 100, 250)), slow);
    }

    [Fact]
    public void Detractors_terms_come_highest_z_first_and_promoters_lowest_first()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 60), ("crash", 40), ("price", 25), ("app", 100));
        Count(tallies, ScoreCategory.Promoter, ("love", 60), ("easy", 40), ("fast", 25), ("app", 100));

        var result = KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default);

        Assert.Equal(["slow", "crash", "price"], result.DetractorTerms.Select(term => term.Term));
        Assert.Equal(["love", "easy", "fast"], result.PromoterTerms.Select(term => term.Term));
        Assert.Equal(result.DetractorTerms.OrderByDescending(term => term.Z), result.DetractorTerms);
        Assert.Equal(result.PromoterTerms.OrderBy(term => term.Z), result.PromoterTerms);
    }

    [Fact]
    public void Max_terms_keeps_the_strongest_of_each_side()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 60), ("crash", 40), ("price", 25), ("app", 100));
        Count(tallies, ScoreCategory.Promoter, ("love", 60), ("easy", 40), ("fast", 25), ("app", 100));

        var result = KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MaxTerms = 2 });

        Assert.Equal(["slow", "crash"], result.DetractorTerms.Select(term => term.Term));
        Assert.Equal(["love", "easy"], result.PromoterTerms.Select(term => term.Term));
    }

    [Fact]
    public void A_term_below_the_minimum_count_of_detractors_and_promoters_is_left_out_whatever_its_passives()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("refund", 20), ("app", 80));
        Count(tallies, ScoreCategory.Passive, ("refund", 10), ("app", 40));
        Count(tallies, ScoreCategory.Promoter, ("app", 100));
        Assert.True(KeyTermStatistics.ZScore(20, 0, 30, 100, 100, 250) > KeyTermCriteria.DefaultMinZ);

        Assert.Empty(KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MinCount = 21 }).DetractorTerms);
        Assert.Equal("refund", Assert.Single(KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MinCount = 20 }).DetractorTerms).Term);
    }

    [Fact]
    public void Only_a_z_strictly_beyond_the_threshold_is_listed()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 10), ("app", 90));
        Count(tallies, ScoreCategory.Promoter, ("slow", 2), ("app", 98));
        var z = KeyTermStatistics.ZScore(10, 2, 12, 100, 100, 200);

        Assert.Single(KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MinZ = z - 1e-9 }).DetractorTerms);
        Assert.Empty(KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MinZ = z }).DetractorTerms);
    }

    [Fact]
    public void A_stored_term_count_above_the_sum_of_the_stems_is_the_total_the_formula_takes()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 10), ("app", 90));
        Count(tallies, ScoreCategory.Promoter, ("slow", 2), ("app", 98));
        // 300 more detractors' terms counted than the stems listed.
        tallies[ScoreCategory.Detractor].AddTerms(300);

        var result = KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MinZ = 0.01 });

        var slow = result.DetractorTerms.Concat(result.PromoterTerms).Single(term => term.Stem == "slow");
        Assert.Equal(KeyTermStatistics.ZScore(10, 2, 12, 400, 100, 500), slow.Z, 12);
        Assert.NotEqual(KeyTermStatistics.ZScore(10, 2, 12, 100, 100, 200), slow.Z, 3);
    }

    [Fact]
    public void A_stored_term_count_below_the_sum_of_the_stems_gives_way_to_the_sum()
    {
        var tallies = new TermTallies();
        Count(tallies, ScoreCategory.Detractor, ("slow", 10), ("app", 90));
        Count(tallies, ScoreCategory.Promoter, ("slow", 2), ("app", 98));
        tallies[ScoreCategory.Detractor].AddTerms(-100);

        var slow = KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default with { MinZ = 0.01 }).DetractorTerms.Single(term => term.Stem == "slow");

        Assert.Equal(KeyTermStatistics.ZScore(10, 2, 12, 100, 100, 200), slow.Z, 12);
    }

    [Fact]
    public void The_comment_counts_of_each_category_are_reported()
    {
        var tallies = new TermTallies();
        tallies[ScoreCategory.Detractor].AddComments(4);
        tallies[ScoreCategory.Passive].AddComments(2);
        tallies[ScoreCategory.Promoter].AddComments(3);
        tallies[ScoreCategory.Promoter].AddComments(1);

        var result = KeyTermStatistics.Compute(tallies, KeyTermCriteria.Default);

        Assert.Equal((4, 2, 4), (result.DetractorComments, result.PassiveComments, result.PromoterComments));
        Assert.Empty(result.DetractorTerms);
        Assert.Empty(result.PromoterTerms);
    }

    [Fact]
    public void A_term_is_shown_in_its_most_frequent_surface_form()
    {
        var tallies = new TermTallies();
        tallies.AddSurface("crash", "crashes", 3);
        tallies.AddSurface("crash", "crashed", 2);
        tallies.AddSurface("crash", "crashed", 2);
        tallies.AddSurface("crash", "crash", 1);

        Assert.Equal("crashed", tallies.ReadableForm("crash"));
    }

    [Fact]
    public void Equally_frequent_surface_forms_are_decided_by_ordinal_order()
    {
        var tallies = new TermTallies();
        tallies.AddSurface("lent", "lents", 2);
        tallies.AddSurface("lent", "lente", 2);

        Assert.Equal("lente", tallies.ReadableForm("lent"));
    }

    [Fact]
    public void A_stem_without_a_kept_surface_is_shown_as_itself()
    {
        Assert.Equal("slow", new TermTallies().ReadableForm("slow"));
    }

    private static void Count(TermTallies tallies, ScoreCategory category, params (string Stem, long Count)[] terms)
    {
        foreach (var (stem, count) in terms)
        {
            tallies[category].Add(stem, count);
            tallies[category].AddTerms(count);
        }
    }
}
