using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>
/// Redis killed under a watcher and started again without its data (no persistence): the watch survives, the
/// watcher gets the score as Redis has it now, and the server's subscription comes back for the changes after.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class WatchScoreRedisRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_watch_survives_a_Redis_restart_gets_the_current_score_and_the_changes_after_it()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var product = UniqueProduct("watch-restart");
        await SubmissionStream.SubmitAllAsync(server.Client, Batch(Mix(product, 3, 1, 1)));
        await using var watcher = ScoreWatcher.Start(server.Client, product);
        var before = await watcher.NextAsync();

        await redis.KillAsync();
        await redis.RestartAsync();
        // Nothing was written since: only a read after the reconnect can tell the watcher its responses are gone.
        var after = await watcher.UntilAsync(score => score.Total == 0);
        await ChangeChannel.WaitForSubscribersAsync(redis, product, 1);
        await SubmissionStream.SubmitAllAsync(server.Client, Batch(Mix(product, 1, 0, 0), "after-restart", 1));
        var changed = await watcher.UntilAsync(score => score.Total == 1);

        Assert.Equal(5, before.Score.Total);
        Assert.Equal(0, after.Score.Total);
        Assert.Equal(1, changed.Score.Promoters);
        Assert.Null(watcher.Failure);
    }
}
