using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Cluster;

/// <summary>
/// Each test starts its own Redis Cluster (3 primaries, 3 replicas) and a server, watches a product while a retrying
/// writer feeds it, and moves the product's shard under the watch: the watch goes on, the server subscribes again in
/// the product's shard, and the watcher ends on the score that GetScore reads.
/// </summary>
public sealed class WatchScoreClusterTests(ITestOutputHelper output) : FaultClusterTest(output)
{
    private const int PerBatch = 5;

    [Fact]
    public async Task A_watch_goes_on_through_a_planned_failover_of_its_products_shard()
    {
        await WatchThroughAsync(slot => Cluster.FailOverAsync(slot));
    }

    [Fact]
    public async Task A_watch_goes_on_through_its_products_primary_killed_and_replaced()
    {
        await WatchThroughAsync(slot => Cluster.KillPrimaryAsync(slot));
    }

    [Fact]
    public async Task A_watch_goes_on_through_its_products_slot_migrated_key_by_key_to_another_primary()
    {
        await WatchThroughAsync(slot => Cluster.MigrateSlotAsync(slot, () => Task.Delay(50)));
    }

    /// <summary>
    /// Writes batches before, during and after <paramref name="fault"/> on the product's slot, and checks what the
    /// watcher and Redis show afterwards.
    /// </summary>
    private async Task WatchThroughAsync(Func<int, Task> fault)
    {
        var product = UniqueProduct("watch-cluster");
        var slot = await Cluster.SlotOfAsync(ChangeChannel.Of(product));
        var writer = new RetryingWriter(() => Server.Client, "watch-cluster-writer");
        var batches = 0;
        async Task WriteAsync()
        {
            await writer.SubmitAsync(Mix(product, 3, 1, 1), TimeSpan.FromSeconds(90));
            batches++;
        }

        for (var i = 0; i < 5; i++)
        {
            await WriteAsync();
        }

        await using var watcher = ScoreWatcher.Start(Server.Client, new WatchScoreRequest
        {
            ProductId = product,
            MinInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
        });
        var first = await watcher.UntilAsync(score => score.Total == batches * PerBatch);
        var faulting = Task.Run(() => fault(slot));
        while (!faulting.IsCompleted)
        {
            await WriteAsync();
        }

        await faulting;
        var sentBeforeTheFaultEnded = watcher.Received.Count;
        var (primary, replica) = await Cluster.ShardOfAsync(slot);
        await UntilSubscribedInTheShardAsync(product, primary, replica);
        await WriteAsync();
        var last = await watcher.UntilAsync(score => score.Total == batches * PerBatch, TimeSpan.FromSeconds(60));

        Output.WriteLine($"{batches} batches, {writer.Retries} retried, {watcher.Received.Count} scores; retried on: {string.Join(" | ", writer.RetriedStatuses.Distinct())}");
        Assert.Null(watcher.Failure);
        Assert.Equal(5 * PerBatch, first.Score.Total);
        Assert.Equal((await Server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score, last.Score);
        // A killed primary takes with it what it applied and had not yet replicated: a score read from it may count
        // a batch that was never acknowledged and comes again only when the writer re-sends it. Once the shard is
        // whole again, scores only grow.
        var afterTheFault = watcher.Received.Skip(sentBeforeTheFaultEnded).Select(score => score.Score.Total).ToList();
        Assert.Equal(afterTheFault.Order(), afterTheFault);
    }

    /// <summary>
    /// Waits until the product's channel has a subscriber on a node of the product's shard now, and none on any other
    /// node: the server subscribed again where the product's notices are published. (After a primary is killed,
    /// StackExchange.Redis may hold the subscription on both nodes of the new shard for a while: the replica gets
    /// every notice too, and the watcher's signal takes the second as the same change.)
    /// </summary>
    private async Task UntilSubscribedInTheShardAsync(string product, RedisServer primary, RedisServer replica)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var counts = new Dictionary<int, long>();
        while (true)
        {
            foreach (var node in Cluster.Nodes)
            {
                counts[node.Port] = await ChangeChannel.SubscribersAsync(node, product);
            }

            var inShard = counts[primary.Port] + counts[replica.Port];
            if (inShard >= 1 && counts.Values.Sum() == inShard)
            {
                Output.WriteLine($"Subscribers by node: {string.Join(", ", counts.Select(pair => $"{pair.Key}: {pair.Value}"))}; the shard is {primary.Port} and {replica.Port}.");
                return;
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"Subscribers of {ChangeChannel.Of(product)} by node: {string.Join(", ", counts.Select(pair => $"{pair.Key}: {pair.Value}"))}; the shard is {primary.Port} and {replica.Port}.");
            await Task.Delay(100);
        }
    }
}
