using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Cluster;

/// <summary>
/// Records on a Redis Cluster (3 primaries, 3 replicas) with one product on each shard: each product's page and
/// erasure is one script in its own slot, and one erasure call reaches every shard.
/// </summary>
public sealed class RecordsClusterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private RedisCluster _cluster = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisCluster.StartAsync(RedisClusterOptions.Steady);
        _server = await NpsServerHost.StartAsync(
            _cluster.Configuration,
            new Dictionary<string, string?>(RedisDeployments.ClusterServerSettings) { ["Retention:DayBuckets"] = "36500.00:00:00" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Records_of_products_on_every_shard_are_listed_and_one_call_erases_a_respondent_on_all_of_them()
    {
        var products = await OneProductPerShardAsync();
        var db = await _cluster.AdminAsync();
        foreach (var product in products)
        {
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 1) { Respondent = "hana", Comment = "slow" });
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddHours(1), 2) { Respondent = "hana", Comment = "slower" });
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddHours(2), 3) { Respondent = "ola", Comment = "meh" });
        }

        await UntilTheServerReachesEveryShardAsync(products);
        var listed = await Task.WhenAll(products.Select(product => _server.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product }).ResponseAsync));
        var erased = await _server.Client.DeleteRespondentRecordsAsync(new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { products } });
        var left = await Task.WhenAll(products.Select(product => _server.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product }).ResponseAsync));

        Assert.All(listed, page => Assert.Equal(["meh", "slower", "slow"], page.Records.Select(record => record.Comment)));
        Assert.Equal(2 * products.Count, erased.DeletedRecordCount);
        Assert.All(left, page => Assert.Equal(["ola"], page.Records.Select(record => record.RespondentId)));
    }

    /// <summary>The server's multiplexer may still be learning the topology: until then a call answers UNAVAILABLE.</summary>
    private async Task UntilTheServerReachesEveryShardAsync(IReadOnlyList<string> products)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var product in products)
        {
            while (true)
            {
                try
                {
                    await _server.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product, PageSize = 1 });
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    private async Task<IReadOnlyList<string>> OneProductPerShardAsync()
    {
        var primaries = await _cluster.PrimariesAsync();
        var products = new Dictionary<int, string>();
        while (products.Count < primaries.Count)
        {
            var product = UniqueProduct("shard");
            products.TryAdd((await _cluster.ShardOfAsync(await _cluster.SlotOfAsync($"nps:{{{product}}}:rec"))).Primary.Port, product);
        }

        return [.. products.Values];
    }
}
