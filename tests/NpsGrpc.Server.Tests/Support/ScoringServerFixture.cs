using Grpc.Core;
using NpsGrpc.V1;
using NpsGrpc.Testing;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// One Redis (a single redis-server, or a Redis Cluster when NPS_TEST_REDIS=cluster) and one server shared by the
/// tests of a collection; each test uses its own product ids. No test of the collection may stop, stall, fail over or
/// reshard this Redis: tests that do start their own (Faults/, Cluster/, StoreOutageTests).
/// </summary>
public sealed class ScoringServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(60);

    public IRedisDeployment Redis { get; private set; } = null!;

    public NpsServerHost Server { get; private set; } = null!;

    public NpsService.NpsServiceClient Client => Server.Client;

    public async Task InitializeAsync()
    {
        // A cluster is returned once every node serves all slots and agrees on the topology (RedisCluster.StartAsync).
        Redis = await RedisDeployments.StartAsync();
        // Day tallies kept for a century, so tests can use dates of any recent year; RetentionTests cover expiry.
        var settings = new Dictionary<string, string?>(RedisDeployments.ServerSettings()) { ["Retention:DayBuckets"] = "36500.00:00:00" };
        Server = await NpsServerHost.StartAsync(Redis.Configuration, settings);
        await WaitUntilTheServerWritesAndReadsOnEveryPrimaryAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>
    /// The server's multiplexer connects while the server starts and may still be connecting, or learning the
    /// cluster's topology, when it takes its first call; it then answers UNAVAILABLE. So no test runs before one
    /// batch over a product on every primary has been acknowledged (on a cluster, after WAIT for a replica of each)
    /// and read back through the server. A re-sent batch has the same writer and sequence, so it is counted once.
    /// </summary>
    private async Task WaitUntilTheServerWritesAndReadsOnEveryPrimaryAsync()
    {
        var products = await OneProductPerPrimaryAsync();
        var batch = Batch(products.Select(product => Answer(product, 10)), "fixture-readiness", 1);
        var deadline = DateTime.UtcNow + ReadinessTimeout;
        while (true)
        {
            try
            {
                await SubmissionStream.SubmitAllAsync(Client, batch);
                foreach (var product in products)
                {
                    var total = (await Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score.Total;
                    Assert.True(total == 1, $"The readiness batch counted {total} responses for {product}, not 1.");
                }

                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task<IReadOnlyList<string>> OneProductPerPrimaryAsync()
    {
        if (Redis is not RedisCluster cluster)
        {
            return [UniqueProduct("readiness")];
        }

        var primaries = await cluster.PrimariesAsync();
        var products = new Dictionary<RedisServer, string>();
        while (products.Count < primaries.Count)
        {
            // Every key of a product has the product id as its hash tag, so they all live in the id's slot.
            var product = UniqueProduct("readiness");
            products.TryAdd((await cluster.ShardOfAsync(await cluster.SlotOfAsync(product))).Primary, product);
        }

        return [.. products.Values];
    }
}

[CollectionDefinition(Name)]
public sealed class ScoringServerCollection : ICollectionFixture<ScoringServerFixture>
{
    public const string Name = "scoring server";
}
