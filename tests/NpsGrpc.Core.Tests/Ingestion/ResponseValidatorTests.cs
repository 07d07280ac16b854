using NpsGrpc.Core.Ingestion;

namespace NpsGrpc.Core.Tests.Ingestion;

public class ResponseValidatorTests
{
    private static readonly Dictionary<string, string> NoSegments = [];

    [Fact]
    public void A_valid_response_has_no_rejection() =>
        Assert.Null(ResponseValidator.Validate(Answer("product-1", 9, new() { ["region"] = "eu", ["plan"] = "pro" }), 3, TestContexts.Fold));

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void The_bounds_zero_and_ten_are_valid_scores(int score) =>
        Assert.Null(ResponseValidator.Validate(Answer("p", score), 0, TestContexts.Fold));

    [Theory]
    [InlineData("")]
    [InlineData("product 1")]
    [InlineData("{hash}")]
    public void An_invalid_product_id_is_rejected_on_the_product_id_field(string productId)
    {
        var rejection = ResponseValidator.Validate(Answer(productId, 9), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal(3, rejection.Index);
        Assert.Equal("responses[3].product_id", rejection.Field);
        Assert.Equal(RejectionKind.InvalidProductId, rejection.Kind);
        Assert.StartsWith("product_id ", rejection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_product_id_is_rejected() =>
        Assert.Equal(
            RejectionKind.InvalidProductId,
            ResponseValidator.Validate(Answer(new string('p', 129), 9), 0, TestContexts.Fold)?.Kind);

    [Fact]
    public void A_missing_score_is_rejected_rather_than_counted_as_zero()
    {
        var rejection = ResponseValidator.Validate(Answer("p", null), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal(3, rejection.Index);
        Assert.Equal("responses[3].score", rejection.Field);
        Assert.Equal(RejectionKind.MissingScore, rejection.Kind);
        Assert.Contains("not counted as 0", rejection.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(100)]
    [InlineData(int.MinValue)]
    public void A_score_outside_zero_to_ten_is_out_of_range(int score)
    {
        var rejection = ResponseValidator.Validate(Answer("p", score), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal("responses[3].score", rejection.Field);
        Assert.Equal(RejectionKind.ScoreOutOfRange, rejection.Kind);
        Assert.Contains($"got {score}", rejection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixteen_segment_labels_are_allowed() =>
        Assert.Null(ResponseValidator.Validate(Answer("p", 5, Labels(IngestionLimits.MaxSegmentsPerResponse)), 3, TestContexts.Fold));

    [Fact]
    public void Seventeen_segment_labels_are_too_many()
    {
        var rejection = ResponseValidator.Validate(Answer("p", 5, Labels(IngestionLimits.MaxSegmentsPerResponse + 1)), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal("responses[3].segments", rejection.Field);
        Assert.Equal(RejectionKind.TooManySegments, rejection.Kind);
        Assert.Contains("got 17", rejection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_segment_key_is_reported_on_the_field_of_that_key()
    {
        var rejection = ResponseValidator.Validate(Answer("p", 5, new() { ["region"] = "eu", ["bad key"] = "x" }), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal("responses[3].segments[bad key]", rejection.Field);
        Assert.Equal(RejectionKind.InvalidSegmentKey, rejection.Kind);
        Assert.StartsWith("segment key contains U+0020 at position 3", rejection.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("e u")]
    [InlineData("")]
    [InlineData("a=b")]
    public void An_invalid_segment_value_is_reported_on_the_field_of_its_key(string value)
    {
        var rejection = ResponseValidator.Validate(Answer("p", 5, new() { ["region"] = value }), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal("responses[3].segments[region]", rejection.Field);
        Assert.Equal(RejectionKind.InvalidSegmentValue, rejection.Kind);
        Assert.StartsWith("segment value ", rejection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_segment_value_of_sixty_five_characters_is_invalid() =>
        Assert.Equal(
            RejectionKind.InvalidSegmentValue,
            ResponseValidator.Validate(Answer("p", 5, new() { ["plan"] = new string('v', 65) }), 0, TestContexts.Fold)?.Kind);

    [Fact]
    public void The_index_given_is_the_index_in_the_field_path()
    {
        var rejection = ResponseValidator.Validate(Answer("p", null), 0, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal(0, rejection.Index);
        Assert.Equal("responses[0].score", rejection.Field);
    }

    [Fact]
    public void An_invalid_product_is_reported_before_a_missing_score()
    {
        var rejection = ResponseValidator.Validate(Answer("bad product", null), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal(RejectionKind.InvalidProductId, rejection.Kind);
        Assert.Equal("responses[3].product_id", rejection.Field);
    }

    [Fact]
    public void A_missing_score_is_reported_before_segment_problems()
    {
        var rejection = ResponseValidator.Validate(Answer("p", null, new() { ["bad key"] = "x" }), 3, TestContexts.Fold);

        Assert.Equal(RejectionKind.MissingScore, rejection?.Kind);
    }

    [Fact]
    public void A_score_out_of_range_is_reported_before_segment_problems()
    {
        var rejection = ResponseValidator.Validate(Answer("p", 11, Labels(17)), 3, TestContexts.Fold);

        Assert.Equal(RejectionKind.ScoreOutOfRange, rejection?.Kind);
    }

    [Fact]
    public void Too_many_segments_is_reported_before_a_bad_label()
    {
        var segments = Labels(17);
        segments["bad key"] = "x";

        var rejection = ResponseValidator.Validate(Answer("p", 5, segments), 3, TestContexts.Fold);

        Assert.Equal(RejectionKind.TooManySegments, rejection?.Kind);
    }

    [Fact]
    public void With_several_bad_labels_the_ordinal_smallest_key_is_reported_whatever_the_insertion_order()
    {
        string[] keys = ["zeta key", "beta key", "Zulu key", "alpha key"];
        var forward = new Dictionary<string, string>();
        var backward = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            forward[key] = "x";
        }

        foreach (var key in keys.Reverse())
        {
            backward[key] = "x";
        }

        // The two maps enumerate differently, so agreeing answers cannot come from enumeration order.
        Assert.NotEqual(forward.Keys.First(), backward.Keys.First());

        var fromForward = ResponseValidator.Validate(Answer("p", 5, forward), 3, TestContexts.Fold);
        var fromBackward = ResponseValidator.Validate(Answer("p", 5, backward), 3, TestContexts.Fold);

        // Ordinal: 'Z' (U+005A) sorts before 'a' (U+0061).
        Assert.Equal("responses[3].segments[Zulu key]", fromForward?.Field);
        Assert.Equal("responses[3].segments[Zulu key]", fromBackward?.Field);
    }

    [Fact]
    public void The_smallest_bad_key_decides_whether_the_key_or_the_value_is_blamed()
    {
        // "a b" is an invalid key and sorts before "b", whose value is invalid.
        var keyFirst = ResponseValidator.Validate(Answer("p", 5, new() { ["b"] = "bad value", ["a b"] = "x" }), 1, TestContexts.Fold);
        // "a" has an invalid value and sorts before the invalid key "b b".
        var valueFirst = ResponseValidator.Validate(Answer("p", 5, new() { ["b b"] = "x", ["a"] = "bad value" }), 1, TestContexts.Fold);

        Assert.NotNull(keyFirst);
        Assert.Equal("responses[1].segments[a b]", keyFirst.Field);
        Assert.Equal(RejectionKind.InvalidSegmentKey, keyFirst.Kind);
        Assert.NotNull(valueFirst);
        Assert.Equal("responses[1].segments[a]", valueFirst.Field);
        Assert.Equal(RejectionKind.InvalidSegmentValue, valueFirst.Kind);
    }

    [Fact]
    public void An_answer_without_answered_at_is_valid() =>
        Assert.Null(ResponseValidator.Validate(Answer("p", 5), 0, TestContexts.Fold));

    [Theory]
    [InlineData(-365 * 24 * 60)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void An_answered_at_up_to_five_minutes_after_the_clock_is_valid(int minutesFromNow) =>
        Assert.Null(ResponseValidator.Validate(Answered(TestContexts.Now.AddMinutes(minutesFromNow)), 4, TestContexts.Fold));

    [Fact]
    public void An_answered_at_one_tick_more_than_five_minutes_after_the_clock_is_in_the_future()
    {
        var rejection = ResponseValidator.Validate(Answered(TestContexts.Now + FoldContext.MaxFutureSkew + TimeSpan.FromTicks(1)), 4, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal(4, rejection.Index);
        Assert.Equal("responses[4].answered_at", rejection.Field);
        Assert.Equal(RejectionKind.AnsweredAtInFuture, rejection.Kind);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(60)]
    [InlineData(365 * 24 * 60)]
    public void An_answered_at_more_than_five_minutes_after_the_clock_is_in_the_future(int minutesFromNow)
    {
        var rejection = ResponseValidator.Validate(Answered(TestContexts.Now.AddMinutes(minutesFromNow)), 2, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal("responses[2].answered_at", rejection.Field);
        Assert.Equal(RejectionKind.AnsweredAtInFuture, rejection.Kind);
        Assert.Contains("5 minutes", rejection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_future_limit_compares_instants_whatever_the_offset()
    {
        // 14:04+02:00 is 12:04Z, four minutes after the clock; 12:04-02:00 is 14:04Z, two hours after it.
        var ahead = ResponseValidator.Validate(Answered(new DateTimeOffset(2026, 11, 23, 14, 4, 0, TimeSpan.FromHours(2))), 0, TestContexts.Fold);
        var behind = ResponseValidator.Validate(Answered(new DateTimeOffset(2026, 11, 23, 12, 4, 0, TimeSpan.FromHours(-2))), 0, TestContexts.Fold);

        Assert.Null(ahead);
        Assert.Equal(RejectionKind.AnsweredAtInFuture, behind?.Kind);
    }

    [Fact]
    public void An_answered_at_before_2000_is_too_old()
    {
        var rejection = ResponseValidator.Validate(Answered(FoldContext.EarliestAnswer - TimeSpan.FromTicks(1)), 3, TestContexts.Fold);

        Assert.NotNull(rejection);
        Assert.Equal("responses[3].answered_at", rejection.Field);
        Assert.Equal(RejectionKind.AnsweredAtTooOld, rejection.Kind);
        Assert.Contains("2000-01-01", rejection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answered_at_at_the_start_of_2000_is_valid()
    {
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), FoldContext.EarliestAnswer);
        Assert.Null(ResponseValidator.Validate(Answered(FoldContext.EarliestAnswer), 3, TestContexts.Fold));
    }

    [Fact]
    public void A_score_problem_is_reported_before_an_answered_at_problem()
    {
        var rejection = ResponseValidator.Validate(
            new SurveyAnswer("p", 11, NoSegments, TestContexts.Now.AddDays(1)), 0, TestContexts.Fold);

        Assert.Equal(RejectionKind.ScoreOutOfRange, rejection?.Kind);
    }

    [Theory]
    [InlineData("x\0", RejectionKind.CommentInvalidCharacter)]
    [InlineData("\uFFFD", RejectionKind.CommentInvalidCharacter)]
    [InlineData("\uD800", RejectionKind.CommentInvalidCharacter)]
    public void A_comment_with_a_character_that_is_not_text_is_rejected_on_the_comment_field(string comment, RejectionKind kind)
    {
        var rejection = ResponseValidator.Validate(new SurveyAnswer("p", 5, NoSegments, Comment: comment), 4, TestContexts.Fold, out var stored);

        Assert.Equal(("responses[4].comment", kind), (rejection?.Field, rejection?.Kind));
        Assert.Null(stored);
    }

    [Fact]
    public void A_comment_of_2001_code_points_is_too_long()
    {
        var rejection = ResponseValidator.Validate(new SurveyAnswer("p", 5, NoSegments, Comment: new string('a', 2001)), 0, TestContexts.Fold);

        Assert.Equal(("responses[0].comment", RejectionKind.CommentTooLong), (rejection?.Field, rejection?.Kind));
    }

    [Fact]
    public void A_malformed_language_code_is_rejected_with_or_without_a_comment()
    {
        foreach (var comment in new[] { null, "fine" })
        {
            var rejection = ResponseValidator.Validate(new SurveyAnswer("p", 5, NoSegments, Comment: comment, LanguageCode: "english"), 2, TestContexts.Fold, out var stored);

            Assert.Equal(("responses[2].language_code", RejectionKind.InvalidLanguageCode), (rejection?.Field, rejection?.Kind));
            Assert.Null(stored);
        }
    }

    [Fact]
    public void A_valid_comment_is_given_back_NFC_normalised_and_no_comment_as_null()
    {
        Assert.Null(ResponseValidator.Validate(new SurveyAnswer("p", 5, NoSegments, Comment: "Cafe\u0301", LanguageCode: "fr-CA"), 0, TestContexts.Fold, out var stored));
        Assert.Equal("Caf\u00e9", stored);
        Assert.Null(ResponseValidator.Validate(new SurveyAnswer("p", 5, NoSegments, Comment: string.Empty), 0, TestContexts.Fold, out var none));
        Assert.Null(none);
    }

    private static SurveyAnswer Answer(string productId, int? score, Dictionary<string, string>? segments = null) =>
        new(productId, score, segments ?? NoSegments);

    private static SurveyAnswer Answered(DateTimeOffset answeredAt) => new("p", 5, NoSegments, answeredAt);

    private static Dictionary<string, string> Labels(int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"key{i}", i => $"value{i}");
}
