using NpsGrpc.V1;
using NpsGrpc.Testing;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// One Redis (a single redis-server, or a Redis Cluster when NPS_TEST_REDIS=cluster) and one server shared by the
/// tests of a collection; each test uses its own product ids.
/// </summary>
public sealed class ScoringServerFixture : IAsyncLifetime
{
    public IRedisDeployment Redis { get; private set; } = null!;

    public NpsServerHost Server { get; private set; } = null!;

    public NpsService.NpsServiceClient Client => Server.Client;

    public async Task InitializeAsync()
    {
        Redis = await RedisDeployments.StartAsync();
        // Day tallies kept for a century, so tests can use dates of any recent year; RetentionTests cover expiry.
        var settings = new Dictionary<string, string?>(RedisDeployments.ServerSettings()) { ["Retention:DayBuckets"] = "36500.00:00:00" };
        Server = await NpsServerHost.StartAsync(Redis.Configuration, settings);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ScoringServerCollection : ICollectionFixture<ScoringServerFixture>
{
    public const string Name = "scoring server";
}
