using StackExchange.Redis;

namespace NpsGrpc.Testing;

/// <summary>A Redis the tests run the server on: one redis-server, or a Redis Cluster.</summary>
public interface IRedisDeployment : IAsyncDisposable
{
    /// <summary>The StackExchange.Redis configuration string the server under test is given.</summary>
    string Configuration { get; }

    /// <summary>A connection for the test itself, to inspect or disturb the data (cluster-aware on a cluster).</summary>
    Task<IDatabase> AdminAsync();
}

/// <summary>
/// Chooses the deployment of the shared integration fixture: <c>NPS_TEST_REDIS=cluster</c> runs the whole suite on
/// a 3 primary + 3 replica Redis Cluster, anything else on one redis-server. CI runs the suite both ways.
/// </summary>
public static class RedisDeployments
{
    public const string Variable = "NPS_TEST_REDIS";

    public static bool UseCluster =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "cluster", StringComparison.OrdinalIgnoreCase);

    public static async Task<IRedisDeployment> StartAsync() =>
        UseCluster ? await RedisCluster.StartAsync().ConfigureAwait(false) : await RedisServer.StartAsync().ConfigureAwait(false);

    /// <summary>Server settings that go with the chosen deployment: on a cluster, an ack waits for one replica.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ServerSettings() =>
        UseCluster ? [new("Redis:ReplicaAcknowledgements", "1")] : [];
}
