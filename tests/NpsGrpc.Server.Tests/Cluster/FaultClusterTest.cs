using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests.Cluster;

/// <summary>
/// For tests that break a Redis Cluster: each test gets its own (3 primaries, 3 replicas, append-only files, a node
/// unanswered for 1 s counted as failing) and a server on it that waits for one replica before acknowledging, its
/// log in the test's output.
/// </summary>
public abstract class FaultClusterTest(ITestOutputHelper output) : IAsyncLifetime
{
    protected ITestOutputHelper Output { get; } = output;

    protected RedisCluster Cluster { get; private set; } = null!;

    protected NpsServerHost Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await RedisCluster.StartAsync(RedisClusterOptions.Faults);
        Server = await NpsServerHost.StartAsync(
            Cluster.Configuration,
            new Dictionary<string, string?>(RedisDeployments.ClusterServerSettings) { ["Retention:DayBuckets"] = "36500.00:00:00" },
            new TestOutputLoggerProvider(Output));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
