using NpsGrpc.V1;
using NpsGrpc.Testing;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>One redis-server and one server shared by the tests of a collection; each test uses its own product ids.</summary>
public sealed class ScoringServerFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public NpsServerHost Server { get; private set; } = null!;

    public NpsService.NpsServiceClient Client => Server.Client;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        // Day tallies kept for a century, so tests can use dates of any recent year; RetentionTests cover expiry.
        Server = await NpsServerHost.StartAsync(Redis.Configuration, new Dictionary<string, string?> { ["Retention:DayBuckets"] = "36500.00:00:00" });
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
