using System.Globalization;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Tests.Time;

public class ExpiredDaysExceptionTests
{
    private static readonly DayRetention Default = new(DayRetention.DefaultRetention);

    // At TestContexts.Now with 400 days of retention the oldest retained day is 2025-10-19.
    private static readonly DateOnly OldestRetained = Date("2025-10-19");

    [Fact]
    public void Day_buckets_from_the_oldest_retained_day_on_do_not_throw()
    {
        var buckets = new DayInterval(OldestRetained, Date("2025-11-01")).Buckets();

        Assert.All(buckets, bucket => Assert.Equal(BucketKind.Day, bucket.Kind));
        ExpiredDaysException.ThrowIfAnyExpired(buckets, Default, TestContexts.Now);
    }

    [Fact]
    public void A_day_bucket_one_day_older_than_retention_throws()
    {
        var error = Assert.Throws<ExpiredDaysException>(() =>
            ExpiredDaysException.ThrowIfAnyExpired([TimeBucket.Day(Date("2025-10-18"))], Default, TestContexts.Now));

        Assert.Equal(Date("2025-10-18"), error.FirstRequestedDay);
        Assert.Equal(OldestRetained, error.OldestRetainedDay);
    }

    [Fact]
    public void Month_buckets_never_count_as_expired_however_old()
    {
        TimeBucket[] buckets =
        [
            TimeBucket.Month(Date("2000-01-01")),
            TimeBucket.Month(Date("2016-02-01")),
            TimeBucket.Month(Date("2025-10-01")),
            TimeBucket.AllTime,
        ];

        ExpiredDaysException.ThrowIfAnyExpired(buckets, Default, TestContexts.Now);
        Assert.True(buckets[0].Start < OldestRetained);
    }

    [Fact]
    public void An_old_interval_made_of_whole_months_with_recent_ragged_days_is_readable()
    {
        var buckets = new DayInterval(Date("2020-01-01"), Date("2026-11-20")).Buckets();

        Assert.Contains(buckets, bucket => bucket.Kind == BucketKind.Day);
        ExpiredDaysException.ThrowIfAnyExpired(buckets, Default, TestContexts.Now);
    }

    [Fact]
    public void An_interval_with_an_expired_ragged_start_throws_naming_its_first_day()
    {
        var buckets = new DayInterval(Date("2025-10-10"), Date("2026-01-01")).Buckets();

        var error = Assert.Throws<ExpiredDaysException>(() => ExpiredDaysException.ThrowIfAnyExpired(buckets, Default, TestContexts.Now));

        Assert.Equal(Date("2025-10-10"), error.FirstRequestedDay);
        Assert.Equal(OldestRetained, error.OldestRetainedDay);
        Assert.Contains("2025-10-10", error.Message, StringComparison.Ordinal);
        Assert.Contains("2025-10-19", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_earliest_expired_day_is_reported_whatever_the_order_of_the_buckets()
    {
        TimeBucket[] buckets =
        [
            TimeBucket.Day(Date("2025-10-15")),
            TimeBucket.Month(Date("2020-01-01")),
            TimeBucket.Day(Date("2025-01-03")),
            TimeBucket.Day(Date("2026-11-23")),
            TimeBucket.Day(Date("2025-06-30")),
        ];

        var error = Assert.Throws<ExpiredDaysException>(() => ExpiredDaysException.ThrowIfAnyExpired(buckets, Default, TestContexts.Now));

        Assert.Equal(Date("2025-01-03"), error.FirstRequestedDay);
    }

    [Fact]
    public void No_buckets_do_not_throw()
    {
        ExpiredDaysException.ThrowIfAnyExpired([], Default, TestContexts.Now);
        Assert.Equal(OldestRetained, Default.OldestRetainedDay(TestContexts.Now));
    }

    [Fact]
    public void A_missing_retention_is_an_error() =>
        Assert.Throws<ArgumentNullException>(() => ExpiredDaysException.ThrowIfAnyExpired([], null!, TestContexts.Now));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
