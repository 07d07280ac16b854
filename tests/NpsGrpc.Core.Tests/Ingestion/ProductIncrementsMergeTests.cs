using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Text;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Ingestion;

public class ProductIncrementsMergeTests
{
    private static readonly DateTimeOffset Day1 = TestContexts.Now.AddDays(-3);
    private static readonly DateTimeOffset Day2 = TestContexts.Now.AddDays(-40);

    [Fact]
    public void Merged_shares_add_up_to_what_one_batch_of_all_their_answers_folds_to()
    {
        SurveyAnswer[] first = [Answer(9, Day1, ("region", "eu")), Answer(3, Day2), Answer(7, Day1, ("plan", "pro"))];
        SurveyAnswer[] second = [Answer(10, Day1, ("region", "us")), Answer(3, Day1, ("region", "eu")), Answer(0, Day2, ("plan", "pro"))];

        var merged = ProductIncrements.Merge([Fold(first), Fold(second)]);
        var together = Fold([.. first, .. second]);

        Assert.Equal(Describe(together.Tallies), Describe(merged.Tallies));
        Assert.Equal(together.Labels.Select(label => label.ToString()).Order(), merged.Labels.Select(label => label.ToString()).Order());
        Assert.Equal(together.Records.Select(record => (record.Score, record.AnsweredAt)), merged.Records.Select(record => (record.Score, record.AnsweredAt)));
        Assert.Equal(6, merged.ResponseCount);
    }

    [Fact]
    public void Key_terms_of_merged_shares_add_each_stem_and_surface_count_and_every_comment()
    {
        var context = TestContexts.Fold with { Analyzer = new WordsAnalyzer() };
        var first = BatchFolder.Fold([Answer(2, Day1, comment: "slow slow support")], context).Products.Single();
        var second = BatchFolder.Fold([Answer(1, Day1, comment: "slow app"), Answer(10, Day1, comment: "love")], context).Products.Single();

        var merged = ProductIncrements.Merge([first, second]);

        var month = TimeBucket.Month(DateOnly.FromDateTime(Day1.UtcDateTime)).Label;
        var detractors = merged.Terms[(ScoreCategory.Detractor, month)];
        Assert.Equal(2, detractors.Comments);
        Assert.Equal(5, detractors.Terms);
        Assert.Equal(3, detractors.Stems["slow"].Count);
        Assert.Equal(3, detractors.Stems["slow"].Surfaces["slow"]);
        Assert.Equal(1, detractors.Stems["app"].Count);
        Assert.Equal(1, merged.Terms[(ScoreCategory.Promoter, month)].Comments);
        // The shares are left as they were.
        Assert.Equal(2, first.Terms[(ScoreCategory.Detractor, month)].Stems["slow"].Count);
    }

    [Fact]
    public void Respondent_answers_keep_share_order_and_say_which_share_each_came_from()
    {
        var first = Fold([Answer(9, Day1, respondent: "ana"), Answer(3, Day1, respondent: "bob")]);
        var second = Fold([Answer(7, Day1), Answer(10, Day1, respondent: "cy")]);

        var merged = ProductIncrements.Merge([first, second]);

        Assert.Equal(["ana", "bob", "cy"], merged.RespondentAnswers.Select(answer => answer.RespondentId));
        Assert.Equal([0, 0, 1], merged.RespondentShares!);
        Assert.Equal([0, 1, 1], merged.RespondentAnswers.Select(answer => answer.Index));
        Assert.Null(first.RespondentShares);
    }

    [Fact]
    public void One_share_merges_to_itself()
    {
        var only = Fold([Answer(9, Day1)]);

        Assert.Same(only, ProductIncrements.Merge([only]));
    }

    [Fact]
    public void A_respondent_in_two_shares_or_shares_of_two_products_cannot_be_merged()
    {
        var ana = Fold([Answer(9, Day1, respondent: "ana")]);
        var anaAgain = Fold([Answer(2, Day1, respondent: "ana")]);
        var other = BatchFolder.Fold([new SurveyAnswer("p2", 9, new Dictionary<string, string>(), Day1)], TestContexts.Fold).Products.Single();

        Assert.Contains("ana", Assert.Throws<ArgumentException>(() => ProductIncrements.Merge([ana, anaAgain])).Message);
        Assert.Contains("p2", Assert.Throws<ArgumentException>(() => ProductIncrements.Merge([ana, other])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProductIncrements.Merge([]));
    }

    private static ProductIncrements Fold(SurveyAnswer[] answers) => BatchFolder.Fold(answers, TestContexts.Fold).Products.Single();

    private static SurveyAnswer Answer(int score, DateTimeOffset at, params (string Key, string Value)[] segments) =>
        new("p1", score, segments.ToDictionary(s => s.Key, s => s.Value), at);

    private static SurveyAnswer Answer(int score, DateTimeOffset at, string? respondent = null, string? comment = null) =>
        new("p1", score, new Dictionary<string, string>(), at, respondent, comment);

    private static List<string> Describe(IReadOnlyDictionary<TallyKey, ScoreDistribution> tallies) =>
        [.. tallies.Select(pair => $"{pair.Key.Bucket.Label}/{pair.Key.Label}: {string.Join(',', Enumerable.Range(0, 11).Select(score => pair.Value[score]))}").Order()];

    /// <summary>Each space-separated word is its own stem and surface.</summary>
    private sealed class WordsAnalyzer : ICommentAnalyzer
    {
        public IReadOnlyList<CommentTerm> Analyze(string comment, string languageCode) =>
            [.. comment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => new CommentTerm(word, word))];
    }
}
