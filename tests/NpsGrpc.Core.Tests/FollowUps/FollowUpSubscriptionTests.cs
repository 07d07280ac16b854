using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.FollowUps;

public class FollowUpSubscriptionTests
{
    [Fact]
    public void Defaults_are_detractors_with_or_without_a_comment_five_minutes_and_a_hundred_outstanding()
    {
        var violations = new List<FieldViolation>();

        var subscription = FollowUpSubscription.TryParse("care", "w1", ["p"], [], false, null, null, 0, violations)!;

        Assert.Empty(violations);
        Assert.Equal([ScoreCategory.Detractor], subscription.Settings.Categories);
        Assert.Equal((false, TimeSpan.FromMinutes(5), 100), (subscription.Settings.OnlyWithComment, subscription.Settings.VisibilityTimeout, subscription.MaxOutstanding));
    }

    [Theory]
    [InlineData(9.999, false)]
    [InlineData(10, true)]
    [InlineData(43200, true)]
    [InlineData(43200.001, false)]
    public void The_visibility_timeout_is_ten_seconds_to_twelve_hours(double seconds, bool valid)
    {
        var violations = new List<FieldViolation>();

        FollowUpSubscription.TryParse("care", "w1", ["p"], [], false, TimeSpan.FromSeconds(seconds), null, 0, violations);

        Assert.Equal(valid ? [] : ["visibility_timeout"], violations.Select(violation => violation.Field));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void Max_outstanding_is_one_to_a_thousand(int maxOutstanding, bool valid)
    {
        var violations = new List<FieldViolation>();

        var subscription = FollowUpSubscription.TryParse("care", "w1", ["p"], [], false, null, null, maxOutstanding, violations);

        Assert.Equal(valid ? [] : ["max_outstanding"], violations.Select(violation => violation.Field));
        Assert.Equal(valid ? maxOutstanding : null, subscription?.MaxOutstanding);
    }

    [Fact]
    public void Names_of_up_to_64_identifier_characters_are_valid_and_others_are_named()
    {
        var violations = new List<FieldViolation>();

        Assert.NotNull(FollowUpSubscription.TryParse(new string('g', 64), "a.b_c:d-9", ["p"], [], false, null, null, 0, violations));
        Assert.Null(FollowUpSubscription.TryParse(new string('g', 65), "a b", ["p", "q", "p"], [], false, null, null, 0, violations));

        Assert.Equal(["group", "consumer", "product_ids[2]"], violations.Select(violation => violation.Field));
    }

    [Fact]
    public void Settings_are_equal_when_they_take_the_same_records_for_the_same_time()
    {
        var detractors = new FollowUpGroupSettings([], false, TimeSpan.FromMinutes(5));

        Assert.Equal(detractors, new FollowUpGroupSettings([ScoreCategory.Detractor, ScoreCategory.Detractor], false, TimeSpan.FromSeconds(300)));
        Assert.Equal(
            new FollowUpGroupSettings([ScoreCategory.Promoter, ScoreCategory.Passive], true, TimeSpan.FromSeconds(10)).GetHashCode(),
            new FollowUpGroupSettings([ScoreCategory.Passive, ScoreCategory.Promoter], true, TimeSpan.FromSeconds(10)).GetHashCode());
        Assert.NotEqual(detractors, new FollowUpGroupSettings([], true, TimeSpan.FromMinutes(5)));
        Assert.NotEqual(detractors, new FollowUpGroupSettings([ScoreCategory.Passive], false, TimeSpan.FromMinutes(5)));
        Assert.NotEqual(detractors, new FollowUpGroupSettings([], false, TimeSpan.FromMinutes(6)));
    }

    [Theory]
    [InlineData(6, false, true)]
    [InlineData(7, true, false)]
    [InlineData(0, true, true)]
    public void A_group_of_detractors_takes_a_record_by_its_score_and_comment(int score, bool hasComment, bool taken)
    {
        Assert.Equal(taken, new FollowUpGroupSettings([], false, TimeSpan.FromMinutes(5)).Matches(score, hasComment));
    }

    [Fact]
    public void A_group_of_commented_promoters_passes_over_promoters_without_a_comment()
    {
        var settings = new FollowUpGroupSettings([ScoreCategory.Promoter], true, TimeSpan.FromMinutes(5));

        Assert.Equal([true, false, false], new[] { (10, true), (9, false), (3, true) }.Select(record => settings.Matches(record.Item1, record.Item2)));
    }

    [Fact]
    public void A_backlog_interval_is_the_30_days_before_its_end_by_default_and_must_end_after_it_starts()
    {
        var now = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var violations = new List<FieldViolation>();

        var query = FollowUpBacklogQuery.TryParse("care", ["p"], null, null, now, violations)!;
        FollowUpBacklogQuery.TryParse("care", ["p"], now, now, now, violations);

        Assert.Equal((now.AddDays(-30), now), (query.Start, query.End));
        Assert.Equal(["end_time"], violations.Select(violation => violation.Field));
    }
}
