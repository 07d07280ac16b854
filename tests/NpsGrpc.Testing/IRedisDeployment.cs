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
        UseCluster ? await RedisCluster.StartAsync(RedisClusterOptions.Steady).ConfigureAwait(false) : await RedisServer.StartAsync().ConfigureAwait(false);

    /// <summary>
    /// Settings for a server on a test cluster: an ack waits for one replica, for up to 4 s. The server's default of
    /// 1 s expects a replica that gets the CPU when it needs it; on a loaded two-core test machine a replica took 1.2 s
    /// to confirm a batch of one product, and batches of 16,000 labels failed UNAVAILABLE. 4 s stays under the 5 s
    /// command timeout, which the WAIT reply must beat.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ClusterServerSettings { get; } = new Dictionary<string, string?>
    {
        ["Redis:ReplicaAcknowledgements"] = "1",
        ["Redis:ReplicaAcknowledgementTimeout"] = "00:00:04",
    };

    /// <summary>Server settings that go with the chosen deployment (<see cref="ClusterServerSettings"/> on a cluster).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ServerSettings() => UseCluster ? ClusterServerSettings : [];
}
