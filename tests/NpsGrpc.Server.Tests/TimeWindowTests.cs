using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class TimeWindowTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task An_answer_a_millisecond_before_midnight_UTC_counts_in_the_old_day_and_month()
    {
        var product = UniqueProduct("midnight");
        await Submit(
            Answer(product, 10).AnsweredAt("2024-03-31T23:59:59.999Z"),
            Answer(product, 0).AnsweredAt("2024-04-01T00:00:00Z"));

        Assert.Equal((1L, 1L, 0L), Counts(await ScoreOf(product, "2024-03-31", "2024-04-01")));
        Assert.Equal((1L, 0L, 1L), Counts(await ScoreOf(product, "2024-04-01", "2024-04-02")));
        Assert.Equal((1L, 1L, 0L), Counts(await ScoreOf(product, "2024-03-01", "2024-04-01")));
        Assert.Equal((2L, 1L, 1L), Counts(await ScoreOf(product, "2024-03-31", "2024-04-02")));
    }

    [Fact]
    public async Task The_leap_day_is_its_own_day_and_part_of_february()
    {
        var product = UniqueProduct("leap");
        await Submit(
            Answer(product, 9).AnsweredAt("2024-02-28T10:00:00Z"),
            Answer(product, 9).AnsweredAt("2024-02-29T10:00:00Z"),
            Answer(product, 3).AnsweredAt("2024-03-01T10:00:00Z"));

        Assert.Equal(1, (await ScoreOf(product, "2024-02-29", "2024-03-01")).Total);
        Assert.Equal(2, (await ScoreOf(product, "2024-02-01", "2024-03-01")).Total);
        Assert.Equal(2, (await ScoreOf(product, "2024-02-29", "2024-03-02")).Total);
    }

    [Fact]
    public async Task Intervals_spanning_months_and_years_equal_a_count_of_the_raw_answers()
    {
        var product = UniqueProduct("span");
        var random = new Random(7);
        var first = new DateOnly(2023, 11, 15);
        var answers = Enumerable.Range(0, 600)
            .Select(_ => (Day: first.AddDays(random.Next(500)), Score: random.Next(11)))
            .ToList();
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(answers.Select(a => Answer(product, a.Score).AnsweredOn(a.Day))));

        (string, string)[] intervals =
        [
            ("2023-11-15", "2025-03-30"), ("2023-12-01", "2025-01-01"), ("2023-12-31", "2024-01-02"),
            ("2024-01-17", "2024-11-03"), ("2024-02-01", "2024-02-02"), ("2025-01-01", "2025-04-01"),
        ];
        foreach (var (start, end) in intervals)
        {
            var from = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
            var to = DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture);
            var expected = new long[11];
            foreach (var answer in answers.Where(a => a.Day >= from && a.Day < to))
            {
                expected[answer.Score]++;
            }

            var score = await ScoreOf(product, start, end);
            Assert.Equal(expected, score.Distribution);
        }
    }

    [Fact]
    public async Task A_known_product_with_nothing_in_the_interval_has_a_score_of_no_responses_not_NOT_FOUND()
    {
        var product = UniqueProduct("quiet");
        await Submit(Answer(product, 10).AnsweredAt("2025-05-05T05:05:05Z"));

        var score = await ScoreOf(product, "2025-06-01", "2025-07-01");

        Assert.Equal(0, score.Total);
        Assert.False(score.HasNps);
        Assert.Null(score.ConfidenceInterval);
        Assert.True(score.LowSample);
    }

    [Fact]
    public async Task A_segment_over_an_interval_counts_only_that_labels_answers_in_it()
    {
        var product = UniqueProduct("segment-window");
        await Submit(
            Answer(product, 10, ("region", "eu")).AnsweredAt("2025-03-10T08:00:00Z"),
            Answer(product, 2, ("region", "eu")).AnsweredAt("2025-04-10T08:00:00Z"),
            Answer(product, 9, ("region", "us")).AnsweredAt("2025-03-10T08:00:00Z"));

        var march = await ScoreOf(product, "2025-03-01", "2025-04-01", "region=eu");

        Assert.Equal((1L, 1L, 0L), Counts(march));
    }

    [Fact]
    public async Task An_answer_without_answered_at_counts_today()
    {
        var product = UniqueProduct("today");
        await Submit(Answer(product, 8));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Time.Day(today),
            EndTime = Time.Day(today.AddDays(1)),
        })).Score;

        Assert.Equal(1, score.Passives);
    }

    [Fact]
    public async Task Answers_from_the_far_future_or_before_2000_are_rejected_and_the_rest_count()
    {
        var product = UniqueProduct("when");
        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
        [
            Answer(product, 9).AnsweredAt(DateTimeOffset.UtcNow.AddMinutes(10).ToString("O")),
            Answer(product, 9).AnsweredAt("1999-12-31T23:59:59Z"),
            Answer(product, 9).AnsweredAt(DateTimeOffset.UtcNow.AddMinutes(2).ToString("O")),
        ]))).Single();

        Assert.Equal(1, ack.AcceptedCount);
        Assert.Equal(
            [(0, "responses[0].answered_at", RejectionReason.AnsweredAtInFuture), (1, "responses[1].answered_at", RejectionReason.AnsweredAtTooOld)],
            ack.Rejected.Select(r => (r.Index, r.Field, r.Reason)));
    }

    [Fact]
    public async Task Bounds_that_are_not_UTC_midnight_or_out_of_order_are_refused_with_the_granularity_explained()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = "any",
            StartTime = Time.At("2025-03-01T12:00:00Z"),
            EndTime = Time.At("2025-02-01T00:00:00Z"),
        }).ResponseAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Contains("UTC day boundary", violations["start_time"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task This_month_can_be_compared_with_last_month()
    {
        var product = UniqueProduct("month-vs-month");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
            Mix(product, 50, 30, 20).Select(r => r.AnsweredAt("2025-02-10T10:00:00Z"))
                .Concat(Mix(product, 40, 30, 30).Select(r => r.AnsweredAt("2025-01-10T10:00:00Z")))));

        var comparison = await fixture.Client.CompareScoresAsync(new CompareScoresRequest
        {
            First = new ScoreScope { ProductId = product, StartTime = Time.At("2025-02-01T00:00:00Z"), EndTime = Time.At("2025-03-01T00:00:00Z") },
            Second = new ScoreScope { ProductId = product, StartTime = Time.At("2025-01-01T00:00:00Z"), EndTime = Time.At("2025-02-01T00:00:00Z") },
        });

        Assert.Equal(20, comparison.Difference, 10);
        Assert.Equal(11.2089, comparison.StandardError, 4);
        Assert.Equal(0.08322, comparison.PValue, 5);
    }

    private static (long Total, long Promoters, long Detractors) Counts(Score score) => (score.Total, score.Promoters, score.Detractors);

    private async Task Submit(params SurveyResponse[] responses) => await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(responses));

    private async Task<Score> ScoreOf(string product, string start, string end, string segment = "") =>
        (await fixture.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            Segment = segment,
            StartTime = Time.At(start + "T00:00:00Z"),
            EndTime = Time.At(end + "T00:00:00Z"),
        })).Score;
}
