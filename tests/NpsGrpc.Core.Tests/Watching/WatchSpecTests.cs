using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using NpsGrpc.Core.Watching;

namespace NpsGrpc.Core.Tests.Watching;

public class WatchSpecTests
{
    private static readonly int Longest = WatchSpec.LongestWindow(new DayRetention(DayRetention.DefaultRetention));

    [Fact]
    public void A_request_with_only_a_product_watches_all_responses_at_95_percent_at_most_once_a_second()
    {
        var spec = Parse("acme-app");

        Assert.Equal(("acme-app", null, 0, 95.0, TimeSpan.FromSeconds(1)), (spec.Query.ProductId, spec.Query.Segment, spec.WindowDays, spec.Level.Percent, spec.MinInterval));
        Assert.Null(spec.WindowAt(DateTimeOffset.UtcNow));
        Assert.Null(spec.NextWindowMove(DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Every_field_out_of_range_is_named_at_once()
    {
        var violations = new List<FieldViolation>();

        var spec = WatchSpec.TryParse("bad id!", "no-equals-sign", 401, 50, TimeSpan.FromMilliseconds(50), Longest, violations);

        Assert.Null(spec);
        Assert.Equal(["product_id", "segment", "window_days", "confidence_percent", "min_interval"], violations.Select(violation => violation.Field));
        Assert.Equal("window_days must be 1 to 400, the days this server keeps day tallies for (0 means all responses); got 401.", violations[2].Description);
        Assert.Equal("min_interval must be 100 ms to 1 h (absent means 1 s); got 0.05 s.", violations[4].Description);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(99, false)]
    [InlineData(3_600_000, true)]
    [InlineData(3_600_001, false)]
    [InlineData(-1000, false)]
    public void Min_interval_is_100_ms_to_an_hour(int milliseconds, bool accepted)
    {
        var violations = new List<FieldViolation>();

        var spec = WatchSpec.TryParse("p", string.Empty, 0, 0, TimeSpan.FromMilliseconds(milliseconds), Longest, violations);

        Assert.Equal(accepted, spec is not null);
        Assert.Equal(accepted ? [] : ["min_interval"], violations.Select(violation => violation.Field));
    }

    [Theory]
    [InlineData(400, 1, true)]
    [InlineData(400, 400, true)]
    [InlineData(400, -1, false)]
    [InlineData(30, 30, true)]
    [InlineData(30, 31, false)]
    [InlineData(30.5, 31, false)]
    public void A_window_is_at_most_as_many_days_as_the_day_tallies_are_kept(double retentionDays, int windowDays, bool accepted)
    {
        var violations = new List<FieldViolation>();

        var spec = WatchSpec.TryParse("p", string.Empty, windowDays, 0, null, WatchSpec.LongestWindow(new DayRetention(TimeSpan.FromDays(retentionDays))), violations);

        Assert.Equal(accepted, spec is not null);
    }

    [Fact]
    public void A_rolling_window_is_the_last_days_with_today_and_moves_at_midnight_UTC()
    {
        var spec = Parse("p", windowDays: 30);
        var beforeMidnight = new DateTimeOffset(2026, 3, 10, 23, 59, 59, TimeSpan.Zero);
        var midnight = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DayInterval(new DateOnly(2026, 2, 9), new DateOnly(2026, 3, 11)), spec.WindowAt(beforeMidnight));
        Assert.Equal(midnight, spec.NextWindowMove(beforeMidnight));
        Assert.Equal(new DayInterval(new DateOnly(2026, 2, 10), new DateOnly(2026, 3, 12)), spec.WindowAt(midnight));
        Assert.Equal(midnight.AddDays(1), spec.NextWindowMove(midnight));
        // In another offset, the same instant is the same UTC day.
        Assert.Equal(spec.WindowAt(beforeMidnight), spec.WindowAt(beforeMidnight.ToOffset(TimeSpan.FromHours(5))));
    }

    [Theory]
    [InlineData(400.0)]
    [InlineData(10.5)]
    [InlineData(1.25)]
    public void The_longest_window_never_needs_an_expired_day_at_any_time_of_day(double retentionDays)
    {
        var retention = new DayRetention(TimeSpan.FromDays(retentionDays));
        var spec = Parse("p", windowDays: WatchSpec.LongestWindow(retention), retention: retention);

        for (var now = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero); now < new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero); now = now.AddMinutes(15))
        {
            ExpiredDaysException.ThrowIfAnyExpired(spec.WindowAt(now)!.Value.Buckets(), retention, now);
        }
    }

    private static WatchSpec Parse(string product, int windowDays = 0, DayRetention? retention = null)
    {
        var violations = new List<FieldViolation>();
        var spec = WatchSpec.TryParse(product, string.Empty, windowDays, 0, null, WatchSpec.LongestWindow(retention ?? new DayRetention(DayRetention.DefaultRetention)), violations);
        Assert.Empty(violations);
        return spec!;
    }
}
