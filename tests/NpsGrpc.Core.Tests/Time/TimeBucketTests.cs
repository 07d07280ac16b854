using System.Globalization;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Tests.Time;

public class TimeBucketTests
{
    [Fact]
    public void A_day_is_labelled_year_month_day() =>
        Assert.Equal("2026-11-23", TimeBucket.Day(Date("2026-11-23")).Label);

    [Fact]
    public void A_month_is_labelled_year_month() =>
        Assert.Equal("2026-11", TimeBucket.Month(Date("2026-11-01")).Label);

    [Fact]
    public void Single_digit_months_and_days_are_zero_padded()
    {
        Assert.Equal("2026-01-05", TimeBucket.Day(Date("2026-01-05")).Label);
        Assert.Equal("2026-02", TimeBucket.Month(Date("2026-02-01")).Label);
    }

    [Fact]
    public void All_time_has_an_empty_label_and_reads_all_time()
    {
        Assert.Equal(string.Empty, TimeBucket.AllTime.Label);
        Assert.Equal(BucketKind.AllTime, TimeBucket.AllTime.Kind);
        Assert.Equal("all time", TimeBucket.AllTime.ToString());
        Assert.Equal(DateOnly.MaxValue, TimeBucket.AllTime.End);
    }

    [Fact]
    public void A_bucket_prints_as_its_label()
    {
        Assert.Equal("2026-11-23", TimeBucket.Day(Date("2026-11-23")).ToString());
        Assert.Equal("2026-11", TimeBucket.Month(Date("2026-11-01")).ToString());
    }

    [Fact]
    public void A_month_bucket_made_from_any_day_starts_on_the_first_of_that_month()
    {
        var bucket = TimeBucket.Month(Date("2026-11-23"));

        Assert.Equal(BucketKind.Month, bucket.Kind);
        Assert.Equal(Date("2026-11-01"), bucket.Start);
        Assert.Equal(TimeBucket.Month(Date("2026-11-01")), bucket);
    }

    [Theory]
    [InlineData("2026-11-23", "2026-11-24")]
    [InlineData("2026-11-30", "2026-12-01")]
    [InlineData("2026-12-31", "2027-01-01")]
    [InlineData("2024-02-28", "2024-02-29")]
    [InlineData("2024-02-29", "2024-03-01")]
    [InlineData("2023-02-28", "2023-03-01")]
    public void A_day_ends_at_the_next_day(string day, string end)
    {
        var bucket = TimeBucket.Day(Date(day));

        Assert.Equal(BucketKind.Day, bucket.Kind);
        Assert.Equal(Date(day), bucket.Start);
        Assert.Equal(Date(end), bucket.End);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-12-01", 30)]
    [InlineData("2026-12-01", "2027-01-01", 31)]
    [InlineData("2024-02-01", "2024-03-01", 29)]
    [InlineData("2023-02-01", "2023-03-01", 28)]
    [InlineData("2026-01-01", "2026-02-01", 31)]
    public void A_month_ends_on_the_first_of_the_next_month(string month, string end, int days)
    {
        var bucket = TimeBucket.Month(Date(month));

        Assert.Equal(Date(end), bucket.End);
        Assert.Equal(days, bucket.End.DayNumber - bucket.Start.DayNumber);
    }

    [Fact]
    public void A_day_and_the_month_it_starts_are_different_buckets() =>
        Assert.NotEqual(TimeBucket.Day(Date("2026-11-01")), TimeBucket.Month(Date("2026-11-01")));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
