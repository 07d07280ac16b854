using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>A server process SIGKILLed while a follow-up worker watches through it, with a second instance on the same Redis.</summary>
[Collection(FaultsCollection.Name)]
public sealed class FollowUpServerCrashTests(ITestOutputHelper output)
{
    private const int RecordsPerProduct = 8;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_worker_whose_server_is_killed_reconnects_to_another_instance_gets_its_unacknowledged_records_back_first_and_misses_none(bool cluster)
    {
        await using var redis = cluster ? (IRedisDeployment)await RedisCluster.StartAsync(RedisClusterOptions.Steady) : await RedisServer.StartAsync(durable: true);
        var settings = cluster ? RedisDeployments.ClusterServerSettings : null;
        await using var doomed = await ServerProcess.StartAsync(redis.Configuration, settings, output);
        await using var survivor = await ServerProcess.StartAsync(redis.Configuration, settings, output);
        var admin = await redis.AdminAsync();
        // Several products, so that on the cluster they sit on several shards.
        var products = Enumerable.Range(0, 6).Select(i => UniqueProduct($"fu-crash{i}")).ToArray();
        var request = new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { products }, MaxOutstanding = 30 };
        var all = new HashSet<(string, string)>();

        await using var watching = FollowUpWorker.Start(doomed.Client, request);
        await watching.WaitUntilOpenAsync();
        foreach (var product in products)
        {
            foreach (var id in await FollowUpRecords.AddAsync(admin, product, DateTimeOffset.UtcNow, Enumerable.Repeat(3, RecordsPerProduct)))
            {
                all.Add((product, id));
            }
        }

        var held = await watching.TakeAsync(30);
        var acknowledged = held.Take(10).ToArray();
        Assert.Empty((await watching.AcknowledgeAsync(acknowledged)).Exceptions);
        await doomed.KillAsync();
        var broken = await watching.EndedAsync();

        // Recorded while no worker watches: the group misses none of them.
        foreach (var product in products)
        {
            foreach (var id in await FollowUpRecords.AddAsync(admin, product, DateTimeOffset.UtcNow, [2]))
            {
                all.Add((product, id));
            }
        }

        // The killed instance may have leased more after the acknowledgement made room, and sent them or not: the
        // worker gets back all it holds, at least those it had read, in the first message, each as its attempt 1.
        await using var reconnected = FollowUpWorker.Start(survivor.Client, request);
        var first = await reconnected.TakeAsync(20);
        var back = reconnected.Messages[0].Deliveries.ToList();
        var received = first.Concat(await reconnected.TakeAsync(back.Count - first.Count)).ToList();
        Assert.Equal(back, received);
        await reconnected.AcknowledgeAsync([.. received]);
        while (received.Count < all.Count - acknowledged.Length)
        {
            var more = await reconnected.TakeAsync(1);
            received.AddRange(more);
            await reconnected.AcknowledgeAsync([.. more]);
        }

        Assert.Contains(broken.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Subset(back.Select(delivery => delivery.AckId).ToHashSet(), held.Skip(10).Select(delivery => delivery.AckId).ToHashSet());
        Assert.All(back, delivery => Assert.Equal(1, delivery.Attempt));
        Assert.Equal(all.Order(), acknowledged.Concat(received).Select(delivery => (delivery.Record.ProductId, delivery.Record.RecordId)).Order());
        Assert.Empty(await reconnected.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        var backlog = await survivor.Client.GetFollowUpBacklogAsync(new GetFollowUpBacklogRequest { Group = "care", ProductIds = { products } });
        Assert.All(backlog.Backlogs, product => Assert.Equal((0L, 0L, RecordsPerProduct + 1L), (product.WaitingCount, product.InProgressCount, product.DoneCount)));
    }
}
