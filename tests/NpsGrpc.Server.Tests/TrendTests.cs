using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class TrendTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task A_weekly_trend_puts_december_31_and_january_3_in_the_same_ISO_week_53()
    {
        var product = UniqueProduct("week53");
        await Submit(
            Answer(product, 10).AnsweredAt("2020-12-27T23:00:00Z"),
            Answer(product, 10).AnsweredAt("2020-12-31T12:00:00Z"),
            Answer(product, 0).AnsweredAt("2021-01-03T23:59:59Z"),
            Answer(product, 8).AnsweredAt("2021-01-04T00:00:00Z"));

        var points = await Trend(product, "2020-12-21", "2021-01-11", Granularity.Week);

        Assert.Equal(["2020-12-21", "2020-12-28", "2021-01-04"], points.Select(p => Day(p.PeriodStart)));
        Assert.Equal([1L, 2L, 1L], points.Select(p => p.Score.Total));
        Assert.Equal(0, points[1].Score.Nps);
        Assert.Equal("2021-01-04", Day(points[1].PeriodEnd));
    }

    [Fact]
    public async Task A_daily_trend_has_one_point_per_day_with_no_score_where_nobody_answered()
    {
        var product = UniqueProduct("daily");
        await Submit(Answer(product, 9).AnsweredAt("2025-06-02T09:00:00Z"), Answer(product, 1).AnsweredAt("2025-06-04T09:00:00Z"));

        var points = await Trend(product, "2025-06-01", "2025-06-06", Granularity.Day);

        Assert.Equal([0L, 1L, 0L, 1L, 0L], points.Select(p => p.Score.Total));
        Assert.Equal([false, true, false, true, false], points.Select(p => p.Score.HasNps));
        Assert.Equal([100.0, -100.0], points.Where(p => p.Score.HasNps).Select(p => p.Score.Nps));
    }

    [Fact]
    public async Task A_rolling_window_scores_each_day_over_the_days_that_end_with_it()
    {
        var product = UniqueProduct("rolling");
        var start = new DateOnly(2025, 8, 1);
        var answers = Enumerable.Range(0, 40).Select(i => (Day: start.AddDays(i), Score: i % 11)).ToList();
        await Submit([.. answers.Select(a => Answer(product, a.Score).AnsweredOn(a.Day))]);

        var points = await Trend(product, "2025-08-20", "2025-09-05", Granularity.Day, rollingDays: 7);

        Assert.Equal(16, points.Count);
        foreach (var point in points)
        {
            var end = DateOnly.FromDateTime(point.PeriodEnd.ToDateTime());
            var expected = new long[11];
            foreach (var answer in answers.Where(a => a.Day >= end.AddDays(-7) && a.Day < end))
            {
                expected[answer.Score]++;
            }

            Assert.Equal(expected, point.Score.Distribution);
            Assert.Equal(end.AddDays(-7), DateOnly.FromDateTime(point.WindowStart.ToDateTime()));
        }
    }

    [Fact]
    public async Task A_monthly_trend_reads_month_tallies()
    {
        var product = UniqueProduct("monthly");
        await Submit(
            Answer(product, 10).AnsweredAt("2025-01-31T23:59:59Z"),
            Answer(product, 3).AnsweredAt("2025-02-01T00:00:00Z"),
            Answer(product, 3).AnsweredAt("2025-02-28T12:00:00Z"));

        var points = await Trend(product, "2025-01-01", "2025-04-01", Granularity.Month);

        Assert.Equal(["2025-01-01", "2025-02-01", "2025-03-01"], points.Select(p => Day(p.PeriodStart)));
        Assert.Equal([1L, 2L, 0L], points.Select(p => p.Score.Total));
    }

    [Fact]
    public async Task More_than_1000_points_or_misaligned_periods_are_refused()
    {
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => Trend("any", "2020-01-01", "2025-01-01", Granularity.Day));
        var notMonday = await Assert.ThrowsAsync<RpcException>(() => Trend("any", "2025-01-01", "2025-02-03", Granularity.Week));
        var noGranularity = await Assert.ThrowsAsync<RpcException>(() => Trend("any", "2025-01-01", "2025-02-01", Granularity.Unspecified));

        Assert.Contains("more than 1000 points", StatusAssertions.FieldViolations(tooMany)["end_time"], StringComparison.Ordinal);
        Assert.Contains("Monday", StatusAssertions.FieldViolations(notMonday)["start_time"], StringComparison.Ordinal);
        Assert.Contains("GRANULARITY_DAY", StatusAssertions.FieldViolations(noGranularity)["granularity"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trend_of_a_product_that_never_had_a_response_is_not_found()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => Trend(UniqueProduct("no-trend"), "2025-01-01", "2025-01-08", Granularity.Day));

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
    }

    private static string Day(Google.Protobuf.WellKnownTypes.Timestamp timestamp) => timestamp.ToDateTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task Submit(params SurveyResponse[] responses) => await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(responses));

    private async Task<IReadOnlyList<TrendPoint>> Trend(string product, string start, string end, Granularity granularity, int rollingDays = 0) =>
        (await fixture.Client.GetScoreTrendAsync(new GetScoreTrendRequest
        {
            ProductId = product,
            StartTime = Time.At(start + "T00:00:00Z"),
            EndTime = Time.At(end + "T00:00:00Z"),
            Granularity = granularity,
            RollingWindowDays = rollingDays,
        })).Points;
}
