using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Watching;

[Collection(ScoringServerCollection.Name)]
public sealed class WatchScoreTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task The_current_score_comes_at_once_and_equals_GetScore()
    {
        var product = UniqueProduct("watch-first");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 450, 300, 250)));

        await using var watcher = ScoreWatcher.Start(fixture.Client, product);
        var first = await watcher.NextAsync();

        Assert.Equal((await GetScoreAsync(new GetScoreRequest { ProductId = product })), first.Score);
        Assert.Equal(20, first.Score.Nps);
        Assert.Null(first.WindowStart);
        Assert.InRange(first.ReadTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_product_with_no_response_yet_is_watched_all_the_same_from_a_score_of_zero()
    {
        var product = UniqueProduct("watch-empty");

        await using var watcher = ScoreWatcher.Start(fixture.Client, product);
        var first = await watcher.NextAsync();
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 2, 0, 1)));
        var counted = await watcher.NextAsync();

        Assert.Equal((0L, false), (first.Score.Total, first.Score.HasNps));
        Assert.Equal((3L, 2L, 1L), (counted.Score.Total, counted.Score.Promoters, counted.Score.Detractors));
    }

    [Fact]
    public async Task Batches_within_min_interval_are_coalesced_and_the_last_score_equals_GetScore()
    {
        var product = UniqueProduct("watch-coalesce");
        var minInterval = TimeSpan.FromMilliseconds(500);
        await using var watcher = ScoreWatcher.Start(fixture.Client, new WatchScoreRequest { ProductId = product, MinInterval = Duration.FromTimeSpan(minInterval) });
        await watcher.NextAsync();
        var watching = Stopwatch.StartNew();

        const int batches = 40;
        using (var stream = new SubmissionStream(fixture.Client))
        {
            for (var sequence = 1; sequence <= batches; sequence++)
            {
                await stream.SubmitAsync(Batch(Mix(product, 3, 1, 1), "coalesce-writer", sequence));
            }

            await stream.CompleteAsync();
        }

        var last = await watcher.UntilAsync(score => score.Total == batches * 5);
        var elapsed = watching.Elapsed;
        var scores = watcher.Received;

        Assert.Equal(await GetScoreAsync(new GetScoreRequest { ProductId = product }), last.Score);
        // The first score came before the clock started; after it, at most one per min_interval.
        Assert.True(
            scores.Count - 1 <= Math.Ceiling(elapsed / minInterval) + 1,
            $"{scores.Count} scores in {elapsed.TotalMilliseconds} ms, with min_interval {minInterval.TotalMilliseconds} ms.");
        Assert.True(scores.Count < batches + 1, $"{batches} batches gave {scores.Count} scores: nothing was coalesced.");
        Assert.Equal(scores.Select(score => score.Score.Total).Order(), scores.Select(score => score.Score.Total));
    }

    [Fact]
    public async Task A_segment_watcher_gets_a_score_only_when_its_segment_changes()
    {
        var product = UniqueProduct("watch-segment");
        await using var watcher = ScoreWatcher.Start(fixture.Client, new WatchScoreRequest { ProductId = product, Segment = "region=eu", MinInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)) });
        await watcher.NextAsync();

        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 3, ("region", "us")), Answer(product, 4, ("region", "us"))]));
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 10, ("region", "eu"))]));
        var eu = await watcher.UntilAsync(score => score.Total > 0);

        Assert.Equal((1L, 1L), (eu.Score.Total, eu.Score.Promoters));
        Assert.Equal(await GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "region=eu" }), eu.Score);
        // The batch of region=us changed nothing the watcher sees: no score was sent for it.
        Assert.Equal([0L, 1L], watcher.Received.Select(score => score.Score.Total));
    }

    [Fact]
    public async Task A_rolling_window_scores_only_its_days_and_says_where_it_starts()
    {
        var product = UniqueProduct("watch-window");
        var now = DateTimeOffset.UtcNow;
        // Ten days ago is in a 30-day window and forty days ago is not, whatever midnight passes during the test.
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([
            Answer(product, 10).AnsweredAt(now.AddDays(-10)),
            Answer(product, 0).AnsweredAt(now.AddDays(-40)),
        ]));

        await using var watcher = ScoreWatcher.Start(fixture.Client, new WatchScoreRequest { ProductId = product, WindowDays = 30 });
        var first = await watcher.NextAsync();
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 9)]));
        var next = await watcher.UntilAsync(score => score.Total == 2);

        var windowStart = first.WindowStart.ToDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, windowStart.TimeOfDay);
        Assert.InRange(windowStart, now.AddDays(-30), now.AddDays(-28));
        Assert.Equal((1L, 1L), (first.Score.Total, first.Score.Promoters));
        Assert.Equal(
            await GetScoreAsync(new GetScoreRequest { ProductId = product, StartTime = next.WindowStart, EndTime = Timestamp.FromDateTimeOffset(next.WindowStart.ToDateTimeOffset().AddDays(30)) }),
            next.Score);
    }

    [Fact]
    public async Task The_confidence_level_is_the_watchers_own()
    {
        var product = UniqueProduct("watch-confidence");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 45, 30, 25)));

        await using var at80 = ScoreWatcher.Start(fixture.Client, new WatchScoreRequest { ProductId = product, ConfidencePercent = 80 });
        await using var at95 = ScoreWatcher.Start(fixture.Client, product);
        var (score80, score95) = ((await at80.NextAsync()).Score, (await at95.NextAsync()).Score);

        Assert.Equal(await GetScoreAsync(new GetScoreRequest { ProductId = product, ConfidencePercent = 80 }), score80);
        Assert.Equal(80, score80.ConfidenceInterval.ConfidencePercent);
        Assert.True(score80.ConfidenceInterval.Lower > score95.ConfidenceInterval.Lower);
    }

    [Fact]
    public async Task A_watcher_that_reconnects_gets_the_current_score_at_once()
    {
        var product = UniqueProduct("watch-reconnect");
        var watcher = ScoreWatcher.Start(fixture.Client, product);
        await watcher.NextAsync();
        await watcher.DisposeAsync();

        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1, 1, 1)));
        await using var again = ScoreWatcher.Start(fixture.Client, product);
        var first = await again.NextAsync();

        Assert.Equal(3, first.Score.Total);
    }

    [Fact]
    public async Task Every_invalid_field_is_named_in_one_INVALID_ARGUMENT()
    {
        await using var watcher = ScoreWatcher.Start(fixture.Client, new WatchScoreRequest
        {
            ProductId = "no spaces allowed",
            Segment = "region",
            WindowDays = 401,
            ConfidencePercent = 50,
            MinInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10)),
        });

        var failure = await watcher.EndedAsync();

        var fields = StatusAssertions.FieldViolations(failure);
        Assert.Equal(["product_id", "segment", "window_days", "confidence_percent", "min_interval"], fields.Keys);
        Assert.Empty(watcher.Received);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(401)]
    public async Task A_window_outside_1_to_400_days_is_refused(int days)
    {
        await using var watcher = ScoreWatcher.Start(fixture.Client, new WatchScoreRequest { ProductId = "p", WindowDays = days });

        var fields = StatusAssertions.FieldViolations(await watcher.EndedAsync());

        Assert.Equal(["window_days"], fields.Keys);
    }

    private async Task<Score> GetScoreAsync(GetScoreRequest request) => (await fixture.Client.GetScoreAsync(request)).Score;
}
