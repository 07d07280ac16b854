using System.Globalization;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Time;

public class TrendPlannerTests
{
    [Fact]
    public void Day_granularity_gives_one_point_per_day_each_over_its_own_day()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-11-20", "2026-11-24"), Granularity.Day, 0, violations);

        Assert.Empty(violations);
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"], points.Select(p => Text(p.PeriodStart)));
        Assert.All(points, p => Assert.Equal(p.PeriodStart.AddDays(1), p.PeriodEnd));
        Assert.All(points, p => Assert.Equal(new DayInterval(p.PeriodStart, p.PeriodEnd), p.Window));
    }

    [Fact]
    public void Day_granularity_accepts_any_days()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-11-25", "2026-11-27"), Granularity.Day, 0, violations);

        Assert.Empty(violations);
        Assert.Equal(2, points.Count);
    }

    [Fact]
    public void Week_granularity_gives_monday_to_monday_periods()
    {
        List<FieldViolation> violations = [];

        // 2026-11-09 and 2026-11-23 are Mondays.
        var points = TrendPlanner.Plan(Interval("2026-11-09", "2026-11-30"), Granularity.Week, 0, violations);

        Assert.Empty(violations);
        Assert.Equal(
            [
                new TrendPoint(Date("2026-11-09"), Date("2026-11-16"), Interval("2026-11-09", "2026-11-16")),
                new TrendPoint(Date("2026-11-16"), Date("2026-11-23"), Interval("2026-11-16", "2026-11-23")),
                new TrendPoint(Date("2026-11-23"), Date("2026-11-30"), Interval("2026-11-23", "2026-11-30")),
            ],
            points);
        Assert.All(points, p => Assert.Equal(DayOfWeek.Monday, p.PeriodStart.DayOfWeek));
    }

    [Fact]
    public void Iso_week_53_of_2020_is_one_week_period_across_new_year()
    {
        List<FieldViolation> violations = [];

        var point = Assert.Single(TrendPlanner.Plan(Interval("2020-12-28", "2021-01-04"), Granularity.Week, 0, violations));

        Assert.Empty(violations);
        Assert.Equal(53, ISOWeek.GetWeekOfYear(Date("2020-12-28").ToDateTime(TimeOnly.MinValue)));
        Assert.Equal(Date("2020-12-28"), point.PeriodStart);
        Assert.Equal(Date("2021-01-04"), point.PeriodEnd);
        Assert.Equal(7, point.Window.Days);
    }

    [Fact]
    public void Week_granularity_requires_a_monday_start_and_end()
    {
        List<FieldViolation> violations = [];

        // 2026-11-24 is a Tuesday, 2026-11-29 a Sunday.
        var points = TrendPlanner.Plan(Interval("2026-11-24", "2026-11-29"), Granularity.Week, 0, violations);

        Assert.Empty(points);
        Assert.Equal(["start_time", "end_time"], violations.Select(v => v.Field));
        Assert.Contains("Monday", violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("2026-11-24 is a Tuesday", violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("2026-11-29 is a Sunday", violations[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Week_granularity_with_only_the_end_misaligned_blames_end_time()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-11-23", "2026-12-01"), Granularity.Week, 0, violations);

        Assert.Empty(points);
        Assert.Equal("end_time", Assert.Single(violations).Field);
    }

    [Fact]
    public void Month_granularity_gives_calendar_months()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2023-12-01", "2024-04-01"), Granularity.Month, 0, violations);

        Assert.Empty(violations);
        Assert.Equal(["2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01"], points.Select(p => Text(p.PeriodStart)));
        Assert.Equal([31, 31, 29, 31], points.Select(p => p.Window.Days));
        Assert.Equal(Date("2024-04-01"), points[^1].PeriodEnd);
    }

    [Fact]
    public void Month_granularity_requires_firsts_of_months()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-01-15", "2026-04-10"), Granularity.Month, 0, violations);

        Assert.Empty(points);
        Assert.Equal(["start_time", "end_time"], violations.Select(v => v.Field));
        Assert.Contains("first day of a month", violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("2026-01-15", violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("2026-04-10", violations[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Month_granularity_with_only_the_start_misaligned_blames_start_time()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-01-02", "2026-04-01"), Granularity.Month, 0, violations);

        Assert.Empty(points);
        Assert.Equal("start_time", Assert.Single(violations).Field);
    }

    [Fact]
    public void A_rolling_window_ends_with_each_period_and_spans_the_days_asked_for()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-11-21", "2026-11-24"), Granularity.Day, 30, violations);

        Assert.Empty(violations);
        Assert.Equal(
            [
                new TrendPoint(Date("2026-11-21"), Date("2026-11-22"), Interval("2026-10-23", "2026-11-22")),
                new TrendPoint(Date("2026-11-22"), Date("2026-11-23"), Interval("2026-10-24", "2026-11-23")),
                new TrendPoint(Date("2026-11-23"), Date("2026-11-24"), Interval("2026-10-25", "2026-11-24")),
            ],
            points);
        Assert.All(points, p => Assert.Equal(30, p.Window.Days));
    }

    [Fact]
    public void A_rolling_window_of_a_monthly_trend_ends_on_the_first_of_the_next_month()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2024-02-01", "2024-04-01"), Granularity.Month, 90, violations);

        Assert.Empty(violations);
        Assert.Equal(
            [Interval("2023-12-02", "2024-03-01"), Interval("2024-01-02", "2024-04-01")],
            points.Select(p => p.Window));
        Assert.Equal([Date("2024-02-01"), Date("2024-03-01")], points.Select(p => p.PeriodStart));
    }

    [Fact]
    public void A_rolling_window_of_one_day_on_a_weekly_trend_covers_only_the_last_day_of_the_week()
    {
        List<FieldViolation> violations = [];

        var point = Assert.Single(TrendPlanner.Plan(Interval("2026-11-16", "2026-11-23"), Granularity.Week, 1, violations));

        Assert.Empty(violations);
        Assert.Equal(Interval("2026-11-22", "2026-11-23"), point.Window);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3660)]
    public void Rolling_windows_of_zero_to_3660_days_are_allowed(int days)
    {
        List<FieldViolation> violations = [];

        var point = Assert.Single(TrendPlanner.Plan(Interval("2026-11-23", "2026-11-24"), Granularity.Day, days, violations));

        Assert.Empty(violations);
        Assert.Equal(days == 0 ? 1 : days, point.Window.Days);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3661)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Rolling_windows_outside_zero_to_3660_days_are_rejected(int days)
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-11-23", "2026-11-24"), Granularity.Day, days, violations);

        Assert.Empty(points);
        var violation = Assert.Single(violations);
        Assert.Equal("rolling_window_days", violation.Field);
        Assert.Contains($"got {days}", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Misaligned_bounds_and_a_bad_rolling_window_are_reported_together()
    {
        List<FieldViolation> violations = [];

        var points = TrendPlanner.Plan(Interval("2026-01-15", "2026-04-10"), Granularity.Month, -5, violations);

        Assert.Empty(points);
        Assert.Equal(["start_time", "end_time", "rolling_window_days"], violations.Select(v => v.Field));
    }

    [Fact]
    public void Exactly_a_thousand_points_are_allowed()
    {
        List<FieldViolation> violations = [];
        var start = Date("2024-01-01");

        var points = TrendPlanner.Plan(new DayInterval(start, start.AddDays(1000)), Granularity.Day, 0, violations);

        Assert.Empty(violations);
        Assert.Equal(TrendPlanner.MaxPoints, points.Count);
        Assert.Equal(start, points[0].PeriodStart);
        Assert.Equal(start.AddDays(1000), points[^1].PeriodEnd);
    }

    [Fact]
    public void More_than_a_thousand_points_are_rejected_on_end_time()
    {
        List<FieldViolation> violations = [];
        var start = Date("2024-01-01");

        var points = TrendPlanner.Plan(new DayInterval(start, start.AddDays(1001)), Granularity.Day, 0, violations);

        Assert.Empty(points);
        var violation = Assert.Single(violations);
        Assert.Equal("end_time", violation.Field);
        Assert.Contains("1000", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_thousand_and_one_months_are_rejected_but_a_thousand_months_allowed()
    {
        List<FieldViolation> allowedViolations = [];
        List<FieldViolation> rejectedViolations = [];
        var start = Date("2000-01-01");

        var allowed = TrendPlanner.Plan(new DayInterval(start, start.AddMonths(1000)), Granularity.Month, 0, allowedViolations);
        var rejected = TrendPlanner.Plan(new DayInterval(start, start.AddMonths(1001)), Granularity.Month, 0, rejectedViolations);

        Assert.Empty(allowedViolations);
        Assert.Equal(1000, allowed.Count);
        Assert.Empty(rejected);
        Assert.Equal("end_time", Assert.Single(rejectedViolations).Field);
    }

    [Fact]
    public void Periods_tile_the_range_in_order()
    {
        List<FieldViolation> violations = [];
        var range = Interval("2020-12-28", "2022-01-03");

        var points = TrendPlanner.Plan(range, Granularity.Week, 0, violations);

        Assert.Empty(violations);
        Assert.Equal(range.Days / 7, points.Count);
        Assert.Equal(range.Start, points[0].PeriodStart);
        Assert.Equal(range.End, points[^1].PeriodEnd);
        for (var i = 1; i < points.Count; i++)
        {
            Assert.Equal(points[i - 1].PeriodEnd, points[i].PeriodStart);
        }
    }

    [Fact]
    public void Violations_already_in_the_list_do_not_stop_planning()
    {
        var earlier = new FieldViolation("segment", "bad");
        List<FieldViolation> violations = [earlier];

        var points = TrendPlanner.Plan(Interval("2026-11-23", "2026-11-25"), Granularity.Day, 0, violations);

        Assert.Equal(2, points.Count);
        Assert.Equal([earlier], violations);
    }

    private static DayInterval Interval(string start, string end) => new(Date(start), Date(end));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
