using System.Globalization;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Tests.Time;

public class DayRetentionTests
{
    private static readonly DayRetention Default = new(DayRetention.DefaultRetention);

    [Fact]
    public void The_default_retention_is_four_hundred_days() =>
        Assert.Equal(TimeSpan.FromDays(400), DayRetention.DefaultRetention);

    [Fact]
    public void Four_hundred_days_before_noon_on_2026_11_23_the_oldest_retained_day_is_2025_10_19() =>
        Assert.Equal(Date("2025-10-19"), Default.OldestRetainedDay(TestContexts.Now));

    [Theory]
    [InlineData("2025-10-18", false)]
    [InlineData("2025-10-19", true)]
    [InlineData("2025-10-20", true)]
    [InlineData("2026-11-23", true)]
    [InlineData("2026-11-24", true)]
    [InlineData("2000-01-01", false)]
    public void A_day_is_retained_from_the_oldest_retained_day_on(string day, bool retained) =>
        Assert.Equal(retained, Default.IsRetained(Date(day), TestContexts.Now));

    [Fact]
    public void With_a_retention_of_whole_days_at_midnight_the_day_that_just_ended_retention_is_gone()
    {
        var midnight = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(Date("2025-10-19"), Default.OldestRetainedDay(midnight));
        Assert.True(Default.IsRetained(Date("2025-10-19"), midnight));
        Assert.False(Default.IsRetained(Date("2025-10-18"), midnight));
        // 2025-10-18 ended at 2025-10-19T00:00Z; 400 days later is exactly now.
        Assert.Equal(midnight, Default.ExpiresAt(Date("2025-10-18")));
    }

    [Fact]
    public void One_tick_before_midnight_the_day_about_to_expire_is_still_retained()
    {
        var justBefore = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddTicks(-1);

        Assert.Equal(Date("2025-10-18"), Default.OldestRetainedDay(justBefore));
        Assert.True(Default.IsRetained(Date("2025-10-18"), justBefore));
        Assert.False(Default.IsRetained(Date("2025-10-17"), justBefore));
    }

    [Fact]
    public void A_retention_of_one_day_keeps_yesterday_and_today_only()
    {
        var retention = new DayRetention(TimeSpan.FromDays(1));

        Assert.Equal(Date("2026-11-22"), retention.OldestRetainedDay(TestContexts.Now));
        Assert.True(retention.IsRetained(Date("2026-11-22"), TestContexts.Now));
        Assert.False(retention.IsRetained(Date("2026-11-21"), TestContexts.Now));
    }

    [Fact]
    public void The_clock_is_read_in_utc_whatever_its_offset()
    {
        // 2026-11-23T01:00+02:00 is 2026-11-22T23:00Z.
        var withOffset = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal(Date("2025-10-18"), Default.OldestRetainedDay(withOffset));
    }

    [Fact]
    public void A_day_expires_the_retention_after_its_end()
    {
        Assert.Equal(
            new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero),
            Default.ExpiresAt(Date("2025-10-19")));
        Assert.Equal(
            new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero) + TimeSpan.FromHours(6),
            new DayRetention(TimeSpan.FromHours(6)).ExpiresAt(Date("2026-11-22")));
    }

    [Fact]
    public void A_day_is_retained_exactly_while_it_has_not_expired()
    {
        var random = new Random(400);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var trial = 0; trial < 2000; trial++)
        {
            var retention = new DayRetention(TimeSpan.FromMinutes(random.Next(1, 800 * 24 * 60)));
            var now = start.AddMinutes(random.Next(0, 1000 * 24 * 60));
            var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-random.Next(0, 900));

            Assert.Equal(now < retention.ExpiresAt(day), retention.IsRetained(day, now));
        }
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
