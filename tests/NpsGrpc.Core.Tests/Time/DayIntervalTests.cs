using System.Globalization;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Tests.Time;

public class DayIntervalTests
{
    [Fact]
    public void Days_counts_the_days_of_the_half_open_interval()
    {
        Assert.Equal(85, Interval("2026-01-15", "2026-04-10").Days);
        Assert.Equal(1, Interval("2026-11-23", "2026-11-24").Days);
        Assert.Equal(0, Interval("2026-11-23", "2026-11-23").Days);
        Assert.Equal(366, Interval("2024-01-01", "2025-01-01").Days);
    }

    [Fact]
    public void Whole_months_become_month_buckets_and_the_ragged_ends_day_buckets()
    {
        var buckets = Interval("2026-01-15", "2026-04-10").Buckets();

        List<TimeBucket> expected = [];
        for (var day = 15; day <= 31; day++)
        {
            expected.Add(TimeBucket.Day(new DateOnly(2026, 1, day)));
        }

        expected.Add(TimeBucket.Month(Date("2026-02-01")));
        expected.Add(TimeBucket.Month(Date("2026-03-01")));
        for (var day = 1; day <= 9; day++)
        {
            expected.Add(TimeBucket.Day(new DateOnly(2026, 4, day)));
        }

        Assert.Equal(expected, buckets);
        Assert.Equal(17 + 2 + 9, buckets.Count);
    }

    [Fact]
    public void February_of_a_leap_year_is_one_month_bucket()
    {
        var bucket = Assert.Single(Interval("2024-02-01", "2024-03-01").Buckets());

        Assert.Equal(TimeBucket.Month(Date("2024-02-01")), bucket);
    }

    [Fact]
    public void Days_around_a_leap_day_are_day_buckets_including_the_twenty_ninth()
    {
        var buckets = Interval("2024-02-28", "2024-03-02").Buckets();

        Assert.Equal(
            [TimeBucket.Day(Date("2024-02-28")), TimeBucket.Day(Date("2024-02-29")), TimeBucket.Day(Date("2024-03-01"))],
            buckets);
    }

    [Fact]
    public void February_of_a_common_year_without_its_last_day_is_not_a_month()
    {
        var buckets = Interval("2023-02-01", "2023-02-28").Buckets();

        Assert.Equal(27, buckets.Count);
        Assert.All(buckets, bucket => Assert.Equal(BucketKind.Day, bucket.Kind));
    }

    [Fact]
    public void An_interval_across_new_year_splits_at_the_year_boundary()
    {
        var buckets = Interval("2026-12-01", "2027-02-01").Buckets();

        Assert.Equal([TimeBucket.Month(Date("2026-12-01")), TimeBucket.Month(Date("2027-01-01"))], buckets);
    }

    [Fact]
    public void Ragged_days_on_both_sides_of_new_year_are_day_buckets()
    {
        var buckets = Interval("2026-12-30", "2027-01-03").Buckets();

        Assert.Equal(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"], buckets.Select(bucket => bucket.Label));
        Assert.All(buckets, bucket => Assert.Equal(BucketKind.Day, bucket.Kind));
    }

    [Fact]
    public void A_single_day_is_one_day_bucket()
    {
        var bucket = Assert.Single(Interval("2026-11-23", "2026-11-24").Buckets());

        Assert.Equal(TimeBucket.Day(Date("2026-11-23")), bucket);
    }

    [Fact]
    public void The_first_day_of_a_month_alone_is_a_day_bucket_not_a_month()
    {
        var bucket = Assert.Single(Interval("2026-11-01", "2026-11-02").Buckets());

        Assert.Equal(BucketKind.Day, bucket.Kind);
    }

    [Fact]
    public void An_empty_interval_has_no_buckets() =>
        Assert.Empty(Interval("2026-11-23", "2026-11-23").Buckets());

    [Fact]
    public void Ten_years_from_the_first_of_a_month_are_exactly_one_hundred_and_twenty_month_buckets()
    {
        var buckets = Interval("2016-01-01", "2026-01-01").Buckets();

        Assert.Equal(120, buckets.Count);
        Assert.All(buckets, bucket => Assert.Equal(BucketKind.Month, bucket.Kind));
        Assert.Equal("2016-01", buckets[0].Label);
        Assert.Equal("2025-12", buckets[^1].Label);
    }

    [Fact]
    public void Ten_years_with_ragged_ends_are_at_most_one_hundred_and_twenty_months_plus_sixty_days()
    {
        var buckets = Interval("2016-01-02", "2026-01-31").Buckets();

        Assert.Equal(119, buckets.Count(bucket => bucket.Kind == BucketKind.Month));
        Assert.Equal(30 + 30, buckets.Count(bucket => bucket.Kind == BucketKind.Day));
    }

    [Fact]
    public void Buckets_tile_random_intervals_exactly_in_order_with_the_fewest_buckets()
    {
        var random = new Random(20261123);
        var earliest = Date("2000-01-01").DayNumber;
        for (var trial = 0; trial < 2000; trial++)
        {
            var start = DateOnly.FromDayNumber(earliest + random.Next(0, 11_000));
            var length = trial % 4 == 0 ? random.Next(0, 70) : random.Next(0, 4000);
            var interval = new DayInterval(start, start.AddDays(length));

            var buckets = interval.Buckets();

            Assert.Equal(interval.Days, buckets.Sum(bucket => bucket.End.DayNumber - bucket.Start.DayNumber));
            var cursor = interval.Start;
            foreach (var bucket in buckets)
            {
                // Contiguous and in order: each bucket starts where the previous one ended, so none overlap.
                Assert.Equal(cursor, bucket.Start);
                Assert.True(bucket.End > bucket.Start, $"{interval}: empty bucket {bucket}");
                if (bucket.Kind == BucketKind.Month)
                {
                    Assert.Equal(1, bucket.Start.Day);
                }
                else
                {
                    Assert.Equal(BucketKind.Day, bucket.Kind);
                    // Fewest buckets: a day that starts a whole month inside the interval should have been a month.
                    Assert.False(
                        bucket.Start.Day == 1 && bucket.Start.AddMonths(1) <= interval.End,
                        $"{interval}: {bucket} starts a whole month but is a day bucket");
                }

                cursor = bucket.End;
            }

            Assert.Equal(interval.End, cursor);
            Assert.True(buckets.Count(bucket => bucket.Kind == BucketKind.Day) <= 60, $"{interval}: more than 60 day buckets");
        }
    }

    [Fact]
    public void StartOf_is_midnight_utc_of_the_day()
    {
        var start = DayInterval.StartOf(Date("2026-11-23"));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void An_interval_prints_half_open() =>
        Assert.Equal("[2026-01-15, 2026-04-10)", Interval("2026-01-15", "2026-04-10").ToString());

    private static DayInterval Interval(string start, string end) => new(Date(start), Date(end));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
