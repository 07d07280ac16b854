using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Watching;

/// <summary>Two server instances on one Redis, as behind a load balancer: watchers on one, writers on the other.</summary>
public sealed class WatchScoreInstancesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private NpsServerHost _watched = null!;
    private NpsServerHost _other = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _watched = await NpsServerHost.StartAsync(_redis.Configuration, logs: new TestOutputLoggerProvider(output));
        _other = await NpsServerHost.StartAsync(_redis.Configuration, logs: new TestOutputLoggerProvider(output));
    }

    public async Task DisposeAsync()
    {
        await _other.DisposeAsync();
        await _watched.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_submitted_through_another_instance_reaches_the_watcher()
    {
        var product = UniqueProduct("watch-other");
        await using var watcher = ScoreWatcher.Start(_watched.Client, product);
        await watcher.NextAsync();

        await SubmissionStream.SubmitAllAsync(_other.Client, Batch(Mix(product, 450, 300, 250)));
        var score = await watcher.UntilAsync(score => score.Total == 1000);

        Assert.Equal(20, score.Score.Nps);
        Assert.Equal((await _other.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score, score.Score);
    }

    [Fact]
    public async Task Each_instance_holds_one_subscription_per_watched_product_and_gives_it_back_when_its_last_watcher_leaves()
    {
        var (p, q) = (UniqueProduct("watch-p"), UniqueProduct("watch-q"));
        var watchers = new List<ScoreWatcher>
        {
            ScoreWatcher.Start(_watched.Client, p),
            ScoreWatcher.Start(_watched.Client, p),
            ScoreWatcher.Start(_watched.Client, new WatchScoreRequest { ProductId = p, Segment = "region=eu" }),
            ScoreWatcher.Start(_watched.Client, new WatchScoreRequest { ProductId = p, WindowDays = 30 }),
            ScoreWatcher.Start(_watched.Client, q),
            ScoreWatcher.Start(_other.Client, p),
        };
        foreach (var watcher in watchers)
        {
            await watcher.NextAsync();
        }

        // A watcher's first score comes after its subscription is taken: the counts are whole now.
        var whileWatched = (await ChangeChannel.SubscribersAsync(_redis, p), await ChangeChannel.SubscribersAsync(_redis, q));
        await watchers[4].DisposeAsync();
        await ChangeChannel.WaitForSubscribersAsync(_redis, q, 0);
        foreach (var watcher in watchers.Take(3))
        {
            await watcher.DisposeAsync();
        }

        var afterThreeOfFourLeft = await ChangeChannel.SubscribersAsync(_redis, p);
        await watchers[3].DisposeAsync();
        await watchers[5].DisposeAsync();
        await ChangeChannel.WaitForSubscribersAsync(_redis, p, 0);

        Assert.Equal((2L, 1L), whileWatched);
        Assert.Equal(2, afterThreeOfFourLeft);
    }

    [Fact]
    public async Task Shutdown_ends_a_watch_with_UNAVAILABLE_SHUTTING_DOWN_and_another_instance_gives_the_current_score_at_once()
    {
        var product = UniqueProduct("watch-shutdown");
        await SubmissionStream.SubmitAllAsync(_watched.Client, Batch(Mix(product, 5, 0, 0)));
        var stopping = await NpsServerHost.StartAsync(_redis.Configuration, logs: new TestOutputLoggerProvider(output));
        await using var watcher = ScoreWatcher.Start(stopping.Client, product);
        await watcher.NextAsync();

        await stopping.StopAsync();
        var end = await watcher.EndedAsync();
        await stopping.DisposeAsync();
        await using var again = ScoreWatcher.Start(_watched.Client, product);
        var current = await again.NextAsync();

        StatusAssertions.ErrorInfo(end, StatusCode.Unavailable, ErrorReason.ShuttingDown);
        Assert.Contains("watch again on another instance", end.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(5, current.Score.Total);
    }
}
