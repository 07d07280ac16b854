using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Text;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Ingestion;

/// <summary>What folding keeps for records and key terms besides the tallies.</summary>
public class RecordFoldingTests
{
    private static readonly Dictionary<string, string> NoSegments = [];

    /// <summary>Splits on spaces and lower-cases: a stand-in for a real analyzer, whose rules are not under test here.</summary>
    private sealed class SpaceAnalyzer : ICommentAnalyzer
    {
        public List<(string Comment, string Language)> Calls { get; } = [];

        public IReadOnlyList<CommentTerm> Analyze(string comment, string languageCode)
        {
            Calls.Add((comment, languageCode));
            return [.. comment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => new CommentTerm(word.ToLowerInvariant().TrimEnd('s'), word.ToLowerInvariant()))];
        }
    }

    [Fact]
    public void Detractors_and_commented_answers_are_recorded_and_uncommented_passives_and_promoters_are_not()
    {
        var folded = BatchFolder.Fold(
            [
                Answer(3),
                Answer(10, "Love it"),
                Answer(9),
                Answer(7),
                Answer(8, "meh", "fr") with { Segments = new Dictionary<string, string> { ["region"] = "eu" } },
            ],
            TestContexts.Fold);

        var records = Assert.Single(folded.Products).Records;
        Assert.Equal([3, 10, 8], records.Select(record => record.Score));
        Assert.Equal([null, "Love it", "meh"], records.Select(record => record.Comment));
        Assert.Equal(["en", "en", "fr"], records.Select(record => record.Language));
        Assert.Equal([new SegmentLabel("region", "eu")], records[2].Labels);
        Assert.All(records, record => Assert.Equal(TestContexts.Now, record.AnsweredAt));
    }

    [Fact]
    public void The_follow_up_categories_and_default_language_come_from_the_context()
    {
        var context = TestContexts.Fold with
        {
            Records = RecordRules.Default with { FollowUpCategories = new HashSet<ScoreCategory> { ScoreCategory.Passive } },
            DefaultLanguage = "de",
        };

        var records = Assert.Single(BatchFolder.Fold([Answer(3), Answer(7), Answer(10)], context).Products).Records;

        Assert.Equal([(7, "de")], records.Select(record => (record.Score, record.Language)));
    }

    [Fact]
    public void An_answer_older_than_the_record_retention_is_counted_but_not_recorded()
    {
        var context = TestContexts.Fold with { Records = RecordRules.Default with { Retention = TimeSpan.FromDays(30) } };

        var product = Assert.Single(BatchFolder.Fold(
            [Answer(2) with { AnsweredAt = TestContexts.Now.AddDays(-31) }, Answer(2) with { AnsweredAt = TestContexts.Now.AddDays(-29) }],
            context).Products);

        Assert.Equal(2, product.ResponseCount);
        Assert.Equal([TestContexts.Now.AddDays(-29)], product.Records.Select(record => record.AnsweredAt));
    }

    [Fact]
    public void A_stored_comment_is_the_NFC_form_of_the_one_sent()
    {
        var records = Assert.Single(BatchFolder.Fold([Answer(10, "Cafe\u0301")], TestContexts.Fold).Products).Records;

        Assert.Equal("Caf\u00e9", Assert.Single(records).Comment);
    }

    [Fact]
    public void A_respondents_answer_carries_its_record_and_terms_to_the_store_which_applies_them_only_if_it_counts()
    {
        var analyzer = new SpaceAnalyzer();
        var context = TestContexts.Fold with { Analyzer = analyzer };

        var product = Assert.Single(BatchFolder.Fold(
            [Answer(2, "Slow app", respondent: "ann"), Answer(9, respondent: "bo"), Answer(0, respondent: "cy")],
            context).Products);

        var answers = product.RespondentAnswers;
        Assert.Equal([true, false, true], answers.Select(answer => answer.Recorded));
        Assert.Equal("Slow app", answers[0].Comment);
        Assert.Equal(["app", "slow"], answers[0].Terms!.Stems.Keys.Order(StringComparer.Ordinal));
        Assert.Null(answers[1].Terms);
        Assert.Empty(product.Records);
        Assert.Empty(product.Terms);
        Assert.True(product.TouchesRecords);
    }

    [Fact]
    public void Terms_of_answers_without_a_respondent_are_folded_per_category_and_UTC_month_with_their_surface_words()
    {
        var analyzer = new SpaceAnalyzer();
        var context = TestContexts.Fold with { Analyzer = analyzer };
        var november = TestContexts.Now;
        var october = new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero);

        var product = Assert.Single(BatchFolder.Fold(
            [
                Answer(1, "Slow slows SLOW", "fr") with { AnsweredAt = november },
                Answer(5, "slow support") with { AnsweredAt = november },
                Answer(10, "easy") with { AnsweredAt = november },
                Answer(2, "slow") with { AnsweredAt = october },
                Answer(6) with { AnsweredAt = november },
            ],
            context).Products);

        Assert.Equal(
            [(ScoreCategory.Detractor, "2026-10"), (ScoreCategory.Detractor, "2026-11"), (ScoreCategory.Promoter, "2026-11")],
            product.Terms.Keys.Order());
        var detractors = product.Terms[(ScoreCategory.Detractor, "2026-11")];
        Assert.Equal((2, 5L), (detractors.Comments, detractors.Terms));
        Assert.Equal(4, detractors.Stems["slow"].Count);
        Assert.Equal(new Dictionary<string, long> { ["slow"] = 3, ["slows"] = 1 }, detractors.Stems["slow"].Surfaces);
        Assert.Equal(1, detractors.Stems["support"].Count);
        Assert.Equal(1, product.Terms[(ScoreCategory.Detractor, "2026-10")].Comments);
        Assert.Equal(("Slow slows SLOW", "fr"), analyzer.Calls[0]);
        Assert.Equal("en", analyzer.Calls[1].Language);
    }

    [Fact]
    public void Term_counts_of_a_month_are_kept_their_retention_after_the_month_ends_by_default_as_long_as_records()
    {
        var rules = RecordRules.Default with { Retention = TimeSpan.FromDays(90) };
        var shorter = rules with { TermRetention = TimeSpan.FromDays(30) };

        Assert.Equal(TimeSpan.FromDays(90), rules.TermsKept);
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), rules.TermsExpireAt(new DateOnly(2026, 11, 30)));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), shorter.TermsExpireAt(new DateOnly(2026, 11, 1)));
        // Now is 2026-11-23T12:00Z: September's counts expired on 2026-10-31, October's expire on 2026-12-01.
        Assert.Equal(new DateOnly(2026, 10, 1), shorter.OldestTermMonth(TestContexts.Now));
        Assert.True(shorter.AreTermsKept(new DateOnly(2026, 10, 1), TestContexts.Now));
        Assert.False(shorter.AreTermsKept(new DateOnly(2026, 9, 30), TestContexts.Now));
        Assert.Equal(new DateOnly(2026, 8, 1), rules.OldestTermMonth(TestContexts.Now));
    }

    [Fact]
    public void A_comment_of_a_month_past_the_term_retention_is_recorded_and_its_words_are_not_counted()
    {
        var analyzer = new SpaceAnalyzer();
        var context = TestContexts.Fold with { Analyzer = analyzer, Records = RecordRules.Default with { TermRetention = TimeSpan.FromDays(30) } };
        var september = new DateTimeOffset(2026, 9, 30, 23, 0, 0, TimeSpan.Zero);
        var october = new DateTimeOffset(2026, 10, 1, 1, 0, 0, TimeSpan.Zero);

        var product = Assert.Single(BatchFolder.Fold(
            [
                Answer(1, "slow") with { AnsweredAt = september },
                Answer(1, "refund") with { AnsweredAt = october },
                Answer(2, "slow app", respondent: "eve") with { AnsweredAt = september },
            ],
            context).Products);

        Assert.Equal([(ScoreCategory.Detractor, "2026-10")], product.Terms.Keys);
        Assert.Null(Assert.Single(product.RespondentAnswers).Terms);
        Assert.Equal(["refund"], analyzer.Calls.Select(call => call.Comment));
        Assert.Equal(2, product.Records.Count);
        Assert.True(product.RespondentAnswers[0].Recorded);
    }

    [Fact]
    public void Without_an_analyzer_comments_are_recorded_and_no_terms_are_counted()
    {
        var product = Assert.Single(BatchFolder.Fold([Answer(1, "slow"), Answer(1, "slow", respondent: "di")], TestContexts.Fold).Products);

        Assert.Empty(product.Terms);
        Assert.Null(Assert.Single(product.RespondentAnswers).Terms);
        Assert.Single(product.Records);
    }

    [Fact]
    public void A_rejected_comment_records_and_counts_nothing_and_the_rest_of_the_batch_counts()
    {
        var folded = BatchFolder.Fold([Answer(1, "bad\0"), Answer(1, "ok", "en_GB"), Answer(1, "fine")], TestContexts.Fold with { Analyzer = new SpaceAnalyzer() });

        Assert.Equal(
            [(0, "responses[0].comment", RejectionKind.CommentInvalidCharacter), (1, "responses[1].language_code", RejectionKind.InvalidLanguageCode)],
            folded.Rejections.Select(rejection => (rejection.Index, rejection.Field, rejection.Kind)));
        var product = Assert.Single(folded.Products);
        Assert.Equal(1, product.ResponseCount);
        Assert.Equal(["fine"], product.Records.Select(record => record.Comment));
        Assert.Equal(1, Assert.Single(product.Terms).Value.Comments);
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("x", "")]
    [InlineData("two words", "two")]
    [InlineData("tab\tbed", "tab")]
    [InlineData("#comments", "comments")]
    [InlineData("ok", "new\nline")]
    public void Terms_the_store_cannot_name_are_left_out(string stem, string surface)
    {
        var tally = new TermTally();
        tally.Add([new CommentTerm(stem, surface), new CommentTerm("kept", "kept")]);

        Assert.Equal(["kept"], tally.Stems.Keys);
        Assert.Equal((1, 1L), (tally.Comments, tally.Terms));
    }

    private static SurveyAnswer Answer(int score, string? comment = null, string? language = null, string? respondent = null) =>
        new("p", score, NoSegments, RespondentId: respondent, Comment: comment, LanguageCode: language);
}
