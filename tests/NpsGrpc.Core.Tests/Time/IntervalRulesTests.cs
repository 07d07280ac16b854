using System.Globalization;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Time;

public class IntervalRulesTests
{
    [Fact]
    public void No_bounds_mean_all_time_without_violations()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(null, null, TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        Assert.Empty(violations);
    }

    [Fact]
    public void Both_bounds_at_utc_midnight_give_that_interval()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("2026-01-15"), Midnight("2026-04-10"), TestContexts.Now, string.Empty, violations);

        Assert.Empty(violations);
        Assert.Equal(new DayInterval(Date("2026-01-15"), Date("2026-04-10")), interval);
    }

    [Fact]
    public void A_start_alone_runs_up_to_and_including_today()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("2026-11-01"), null, TestContexts.Now, string.Empty, violations);

        Assert.Empty(violations);
        Assert.Equal(new DayInterval(Date("2026-11-01"), Date("2026-11-24")), interval);
    }

    [Fact]
    public void A_start_of_today_alone_is_today()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("2026-11-23"), null, TestContexts.Now, string.Empty, violations);

        Assert.Empty(violations);
        Assert.Equal(1, interval?.Days);
    }

    [Fact]
    public void A_start_of_tomorrow_alone_is_an_empty_interval_and_rejected()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("2026-11-24"), null, TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        Assert.Equal("end_time", Assert.Single(violations).Field);
    }

    [Fact]
    public void An_end_without_a_start_is_a_violation_on_start_time()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(null, Midnight("2026-11-01"), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        var violation = Assert.Single(violations);
        Assert.Equal("start_time", violation.Field);
        Assert.Contains("required", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 0, 0, 1)]
    [InlineData(23, 59, 59, 999)]
    public void A_start_off_the_utc_day_boundary_is_a_violation_on_start_time(int hour, int minute, int second, int millisecond)
    {
        List<FieldViolation> violations = [];
        var start = new DateTimeOffset(2026, 11, 1, hour, minute, second, millisecond, TimeSpan.Zero);

        var interval = IntervalRules.Parse(start, Midnight("2026-11-20"), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        var violation = Assert.Single(violations);
        Assert.Equal("start_time", violation.Field);
        Assert.Contains("start_time", violation.Description, StringComparison.Ordinal);
        Assert.Contains("UTC day boundary", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_end_off_the_utc_day_boundary_is_a_violation_on_end_time()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(
            Midnight("2026-11-01"), Midnight("2026-11-20").AddHours(12), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        var violation = Assert.Single(violations);
        Assert.Equal("end_time", violation.Field);
        Assert.Contains("end_time", violation.Description, StringComparison.Ordinal);
        Assert.Contains("UTC day boundary", violation.Description, StringComparison.Ordinal);
        Assert.Contains("2026-11-20T12:00:00Z", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_midnight_of_another_offset_is_not_a_utc_day_boundary()
    {
        List<FieldViolation> violations = [];
        var localMidnight = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1));

        var interval = IntervalRules.Parse(localMidnight, Midnight("2026-11-20"), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        Assert.Equal("start_time", Assert.Single(violations).Field);
    }

    [Fact]
    public void Utc_midnight_written_with_another_offset_is_a_day_boundary()
    {
        List<FieldViolation> violations = [];
        var utcMidnight = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.FromHours(2));

        var interval = IntervalRules.Parse(utcMidnight, Midnight("2026-11-20"), TestContexts.Now, string.Empty, violations);

        Assert.Empty(violations);
        Assert.Equal(Date("2026-11-01"), interval?.Start);
    }

    [Fact]
    public void A_start_before_2000_is_a_violation_on_start_time()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("1999-12-31"), Midnight("2000-02-01"), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        var violation = Assert.Single(violations);
        Assert.Equal("start_time", violation.Field);
        Assert.Contains("2000-01-01", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_on_2000_01_01_is_allowed()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("2000-01-01"), Midnight("2000-02-01"), TestContexts.Now, string.Empty, violations);

        Assert.Empty(violations);
        Assert.Equal(new DayInterval(Date("2000-01-01"), Date("2000-02-01")), interval);
    }

    [Fact]
    public void An_end_in_the_future_is_allowed_so_this_month_can_be_asked_for()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("2026-11-01"), Midnight("2026-12-01"), TestContexts.Now, string.Empty, violations);

        Assert.Empty(violations);
        Assert.Equal(new DayInterval(Date("2026-11-01"), Date("2026-12-01")), interval);
    }

    [Fact]
    public void An_end_on_2200_01_01_is_allowed_but_a_day_later_is_a_violation_on_end_time()
    {
        List<FieldViolation> accepted = [];
        List<FieldViolation> rejected = [];

        var last = IntervalRules.Parse(Midnight("2026-11-01"), Midnight("2200-01-01"), TestContexts.Now, string.Empty, accepted);
        var past = IntervalRules.Parse(Midnight("2026-11-01"), Midnight("2200-01-02"), TestContexts.Now, string.Empty, rejected);

        Assert.Empty(accepted);
        Assert.Equal(Date("2200-01-01"), last?.End);
        Assert.Null(past);
        var violation = Assert.Single(rejected);
        Assert.Equal("end_time", violation.Field);
        Assert.Contains("2200-01-01", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-10", "2026-11-10")]
    [InlineData("2026-11-10", "2026-11-09")]
    [InlineData("2026-11-10", "2025-01-01")]
    public void An_end_on_or_before_the_start_is_a_violation_on_end_time(string start, string end)
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight(start), Midnight(end), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        var violation = Assert.Single(violations);
        Assert.Equal("end_time", violation.Field);
        Assert.Contains($"end_time ({end})", violation.Description, StringComparison.Ordinal);
        Assert.Contains($"start_time ({start})", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_field_prefix_is_put_before_every_field_name()
    {
        List<FieldViolation> alignment = [];
        List<FieldViolation> order = [];
        List<FieldViolation> missingStart = [];

        IntervalRules.Parse(Midnight("2026-11-01").AddHours(1), Midnight("2026-11-20").AddHours(1), TestContexts.Now, "first.", alignment);
        IntervalRules.Parse(Midnight("2026-11-20"), Midnight("2026-11-01"), TestContexts.Now, "first.", order);
        IntervalRules.Parse(null, Midnight("2026-11-01"), TestContexts.Now, "second.", missingStart);

        Assert.Equal(["first.start_time", "first.end_time"], alignment.Select(v => v.Field));
        Assert.Equal(["first.end_time"], order.Select(v => v.Field));
        Assert.Equal(["second.start_time"], missingStart.Select(v => v.Field));
    }

    [Fact]
    public void Both_bounds_off_the_day_boundary_are_reported_together()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(
            Midnight("2026-11-01").AddMinutes(30), Midnight("2026-11-20").AddMinutes(30), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        Assert.Equal(["start_time", "end_time"], violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.Contains("UTC day boundary", v.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void A_start_before_2000_an_end_after_2200_are_reported_together()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("1999-01-01"), Midnight("2201-01-01"), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        Assert.Equal(["start_time", "end_time"], violations.Select(v => v.Field));
    }

    [Fact]
    public void A_start_before_2000_and_an_end_before_it_are_reported_together()
    {
        List<FieldViolation> violations = [];

        var interval = IntervalRules.Parse(Midnight("1999-06-01"), Midnight("1999-01-01"), TestContexts.Now, string.Empty, violations);

        Assert.Null(interval);
        Assert.Equal(["start_time", "end_time"], violations.Select(v => v.Field));
    }

    [Fact]
    public void Violations_already_in_the_list_are_kept_and_do_not_fail_a_valid_interval()
    {
        var earlier = new FieldViolation("product_id", "bad");
        List<FieldViolation> violations = [earlier];

        var interval = IntervalRules.Parse(Midnight("2026-11-01"), Midnight("2026-11-20"), TestContexts.Now, string.Empty, violations);

        Assert.Equal(new DayInterval(Date("2026-11-01"), Date("2026-11-20")), interval);
        Assert.Equal([earlier], violations);
    }

    [Fact]
    public void A_missing_violation_list_is_an_error() =>
        Assert.Throws<ArgumentNullException>(() => IntervalRules.Parse(null, null, TestContexts.Now, string.Empty, null!));

    [Fact]
    public void Readable_drops_the_buckets_that_start_after_tomorrow()
    {
        TimeBucket[] buckets =
        [
            TimeBucket.Month(Date("2026-11-01")),
            TimeBucket.Day(Date("2026-11-23")),
            TimeBucket.Day(Date("2026-11-24")),
            TimeBucket.Day(Date("2026-11-25")),
            TimeBucket.Month(Date("2026-12-01")),
        ];

        var readable = IntervalRules.Readable(buckets, TestContexts.Now);

        Assert.Equal(buckets[..3], readable);
    }

    private static DateTimeOffset Midnight(string day) => DayInterval.StartOf(Date(day));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
