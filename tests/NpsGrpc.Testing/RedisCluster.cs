using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace NpsGrpc.Testing;

/// <summary>
/// A real Redis Cluster on loopback: three primaries and three replicas, each a redis-server process with its own
/// data directory. Tests can fail a primary over, kill one, or migrate a slot while the server is writing
/// (<see cref="RedisClusterOptions.Faults"/>), or rely on it to stay as it was made (<see cref="RedisClusterOptions.Steady"/>).
/// </summary>
public sealed class RedisCluster : IRedisDeployment
{
    public const int SlotCount = 16384;

    // What CLUSTER INFO says on every node of a cluster that serves all its slots.
    private static readonly string[] ClusterServing =
        ["cluster_state:ok", $"cluster_slots_assigned:{SlotCount}", $"cluster_slots_ok:{SlotCount}", "cluster_known_nodes:6"];

    private readonly IReadOnlyList<RedisServer> _nodes;
    private ConnectionMultiplexer? _admin;

    private RedisCluster(IReadOnlyList<RedisServer> nodes) => _nodes = nodes;

    public string Configuration => string.Join(',', _nodes.Select(node => node.Configuration));

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>
    /// Starts six nodes and joins them (<c>redis-cli --cluster create ... --cluster-replicas 1</c>), then waits until
    /// every node serves and agrees on the same topology (see <see cref="WaitUntilHealthyAsync"/>).
    /// </summary>
    public static async Task<RedisCluster> StartAsync(RedisClusterOptions options)
    {
        var nodes = new List<RedisServer>();
        for (var i = 0; i < 6; i++)
        {
            // The cluster bus port is chosen once per client port, so a node restarted on its data directory keeps
            // it, while a start retried on another client port (see RedisServer.StartAsync) gets a fresh one.
            var busPorts = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
            nodes.Add(await RedisServer.StartAsync(options.Durable, new RedisServerOptions
            {
                Arguments = port =>
                [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", ((long)options.NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                    "--cluster-replica-no-failover", options.AutomaticFailover ? "no" : "yes",
                    "--cluster-port", busPorts.GetOrAdd(port, _ => FreePort.Next().ToString(CultureInfo.InvariantCulture)),
                ],
            }).ConfigureAwait(false));
        }

        var cluster = new RedisCluster(nodes);
        await RunRedisCliAsync(
            ["--cluster", "create", .. nodes.Select(node => $"127.0.0.1:{node.Port}"), "--cluster-replicas", "1", "--cluster-yes"])
            .ConfigureAwait(false);
        await cluster.WaitUntilHealthyAsync().ConfigureAwait(false);
        return cluster;
    }

    public async Task<IDatabase> AdminAsync() => (await AdminConnectionAsync().ConfigureAwait(false)).GetDatabase();

    /// <summary>The slot a key hashes to (only the part in braces counts when there is one).</summary>
    public async Task<int> SlotOfAsync(string key) => (await AdminConnectionAsync().ConfigureAwait(false)).HashSlot(key);

    /// <summary>The primary that serves a slot now, and its replica.</summary>
    public async Task<(RedisServer Primary, RedisServer Replica)> ShardOfAsync(int slot)
    {
        // Right after a change, the node asked may not have heard of it yet: ask until the answer is whole.
        (RedisServer, RedisServer)? shard = null;
        IReadOnlyList<TopologyNode> topology = [];
        await WaitUntilAsync(
            async () =>
            {
                topology = await TopologyAsync().ConfigureAwait(false);
                var primary = topology.SingleOrDefault(node => node.IsPrimary && node.Serves(slot));
                var replica = topology.SingleOrDefault(node => !node.IsPrimary && node.PrimaryId == primary?.Id);
                shard = primary is null || replica is null ? null : (NodeOn(primary.Port), NodeOn(replica.Port));
                return shard is not null;
            },
            () => $"slot {slot} to have a primary and a replica; last seen: {string.Join("; ", topology)}").ConfigureAwait(false);
        return shard!.Value;
    }

    /// <summary><c>CLUSTER FAILOVER</c> on the replica of the slot's primary: a planned switch with no write lost.</summary>
    public async Task FailOverAsync(int slot)
    {
        var (_, replica) = await ShardOfAsync(slot).ConfigureAwait(false);
        await CommandAsync(replica, "CLUSTER", "FAILOVER").ConfigureAwait(false);
        await WaitUntilAsync(async () => (await ShardOfAsync(slot).ConfigureAwait(false)).Primary == replica, "the replica to take over").ConfigureAwait(false);
        await WaitUntilHealthyAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the slot's primary with SIGKILL, waits for its replica to be promoted, then restarts the old primary.</summary>
    public async Task KillPrimaryAsync(int slot, Func<Task>? whilePromoting = null)
    {
        var (primary, replica) = await ShardOfAsync(slot).ConfigureAwait(false);
        await primary.KillAsync().ConfigureAwait(false);
        if (whilePromoting is not null)
        {
            await whilePromoting().ConfigureAwait(false);
        }

        await WaitUntilAsync(
            async () => (await TopologyAsync(except: primary).ConfigureAwait(false)).Any(node => node.IsPrimary && node.Port == replica.Port && node.Serves(slot)),
            "the replica to be promoted").ConfigureAwait(false);
        await primary.RestartAsync().ConfigureAwait(false);
        await WaitUntilHealthyAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Moves a slot to another primary the way <c>redis-cli --cluster reshard</c> does (IMPORTING/MIGRATING, then
    /// MIGRATE of its keys a few at a time, then SETSLOT NODE), calling <paramref name="betweenSteps"/> between
    /// key moves so that writes land while the slot is half moved. Returns the new owner.
    /// </summary>
    public async Task<RedisServer> MigrateSlotAsync(int slot, Func<Task> betweenSteps, int keysPerStep = 2)
    {
        var topology = await TopologyAsync().ConfigureAwait(false);
        var source = topology.Single(node => node.IsPrimary && node.Serves(slot));
        var target = topology.First(node => node.IsPrimary && node.Id != source.Id);
        var sourceNode = NodeOn(source.Port);
        var targetNode = NodeOn(target.Port);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);

        await CommandAsync(targetNode, "CLUSTER", "SETSLOT", slotText, "IMPORTING", source.Id).ConfigureAwait(false);
        await CommandAsync(sourceNode, "CLUSTER", "SETSLOT", slotText, "MIGRATING", target.Id).ConfigureAwait(false);
        while (true)
        {
            await betweenSteps().ConfigureAwait(false);
            var keys = (RedisResult[])(await CommandAsync(sourceNode, "CLUSTER", "GETKEYSINSLOT", slotText, keysPerStep).ConfigureAwait(false))!;
            if (keys.Length == 0)
            {
                break;
            }

            // No REPLACE: a key that already exists on the target would mean a write went to the wrong node.
            await CommandAsync(
                sourceNode,
                ["MIGRATE", "127.0.0.1", targetNode.Port, string.Empty, 0, 5000, "KEYS", .. keys.Select(key => (object)(string)key!)]).ConfigureAwait(false);
        }

        foreach (var primary in topology.Where(node => node.IsPrimary))
        {
            await CommandAsync(NodeOn(primary.Port), "CLUSTER", "SETSLOT", slotText, "NODE", target.Id).ConfigureAwait(false);
        }

        await WaitUntilHealthyAsync().ConfigureAwait(false);
        return targetNode;
    }

    public async ValueTask DisposeAsync()
    {
        // Every node is stopped even when something before it fails: a node left running outlives the test run.
        List<Exception> failures = [];
        try
        {
            if (_admin is not null)
            {
                await _admin.CloseWithoutQuitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            failures.Add(e);
        }

        foreach (var node in _nodes)
        {
            try
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping the cluster failed.", failures);
        }
    }

    private async Task<ConnectionMultiplexer> AdminConnectionAsync() =>
        _admin ??= await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true").ConfigureAwait(false);

    private RedisServer NodeOn(int port) => _nodes.Single(node => node.Port == port);

    private static async Task<RedisResult> CommandAsync(RedisServer node, params object[] command)
    {
        await node.AdminAsync().ConfigureAwait(false);
        return await node.AdminServer().ExecuteAsync((string)command[0], command[1..]).ConfigureAwait(false);
    }

    /// <summary>The cluster as one reachable node (other than <paramref name="except"/>) sees it.</summary>
    private async Task<IReadOnlyList<TopologyNode>> TopologyAsync(RedisServer? except = null)
    {
        foreach (var node in _nodes.Where(node => node != except))
        {
            try
            {
                return [.. (await ViewOfAsync(node).ConfigureAwait(false)).Where(n => !n.Failed)];
            }
            catch (RedisConnectionException)
            {
                // That node is down; ask the next one.
            }
        }

        throw new InvalidOperationException("No cluster node answered CLUSTER NODES.");
    }

    /// <summary>
    /// Waits until the cluster is in the state every test expects: every node reports cluster_state:ok with all
    /// 16384 slots assigned and ok; every replica's link to its primary is up and no sync is under way; and every
    /// node's CLUSTER NODES shows the same six nodes, connected and not failing, with the same roles, primaries, slots
    /// and config epochs (three primaries, each with one replica). Until all nodes agree, a client may be sent a
    /// stale topology by the node it asks.
    /// </summary>
    private Task WaitUntilHealthyAsync()
    {
        var last = "nothing yet";
        return WaitUntilAsync(
            async () =>
            {
                IReadOnlyList<TopologyNode> view = [];
                var views = new HashSet<string>();
                foreach (var node in _nodes)
                {
                    var info = Text(await CommandAsync(node, "CLUSTER", "INFO").ConfigureAwait(false));
                    var replication = Text(await CommandAsync(node, "INFO", "replication").ConfigureAwait(false));
                    string[] expected = replication.Contains("role:slave", StringComparison.Ordinal)
                        ? [.. ClusterServing, "master_link_status:up", "master_sync_in_progress:0"]
                        : ClusterServing;
                    var unmet = expected.Where(line => !(info + replication).Contains(line, StringComparison.Ordinal)).ToList();
                    view = await ViewOfAsync(node).ConfigureAwait(false);
                    var sick = view.Where(other => !other.Healthy).Select(other => $"{other.Port} {string.Join(',', other.Flags)}{(other.Connected ? string.Empty : " disconnected")}");
                    unmet.AddRange(sick.Select(other => "sees " + other));
                    if (unmet.Count > 0)
                    {
                        last = $"node {node.Port}: {string.Join("; ", unmet)}";
                        return false;
                    }

                    views.Add(string.Join(" | ", view.OrderBy(line => line.Port).Select(line => line.Agreed)));
                }

                var primaries = view.Where(node => node.IsPrimary).ToList();
                last = $"the nodes list: {string.Join(" || ", views)}";
                return views.Count == 1 && primaries.Count == 3 && primaries.All(primary => view.Count(node => node.PrimaryId == primary.Id) == 1);
            },
            () => $"the cluster to be healthy; last seen: {last}");
    }

    /// <summary>The primaries that serve slots now.</summary>
    public async Task<IReadOnlyList<RedisServer>> PrimariesAsync() =>
        [.. (await TopologyAsync().ConfigureAwait(false)).Where(node => node.IsPrimary && node.Slots.Count > 0).Select(node => NodeOn(node.Port))];

    /// <summary>CLUSTER NODES as <paramref name="node"/> sees it, every line, failing nodes included.</summary>
    private static async Task<IReadOnlyList<TopologyNode>> ViewOfAsync(RedisServer node) =>
        [.. Text(await CommandAsync(node, "CLUSTER", "NODES").ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TopologyNode.Parse)];

    // Over RESP3 a text reply is a verbatim string, which arrives with its format prefix.
    private static string Text(RedisResult reply)
    {
        var text = (string)reply!;
        return text.StartsWith("txt:", StringComparison.Ordinal) ? text[4..] : text;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Waited 60 s for {what()}.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task RunRedisCliAsync(IEnumerable<string> arguments)
    {
        var binary = RepositoryPaths.FindOnPath("redis-cli")
            ?? throw new InvalidOperationException("redis-cli is not installed: `apt-get install redis-tools` (bash .ci/test does it).");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-cli.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }

    /// <summary>One line of CLUSTER NODES.</summary>
    private sealed record TopologyNode(
        string Id, int Port, bool IsPrimary, bool Failed, string? PrimaryId, IReadOnlyList<(int From, int To)> Slots, IReadOnlySet<string> Flags, long ConfigEpoch, bool Connected)
    {
        public bool Serves(int slot) => Slots.Any(range => slot >= range.From && slot <= range.To);

        /// <summary>Up, reachable and fully joined, in the eyes of the node that listed it.</summary>
        public bool Healthy => !Failed && Connected && !Flags.Overlaps(["handshake", "noaddr"]);

        /// <summary>What every node must list the same way (its own line differs only by the "myself" flag).</summary>
        public string Agreed => $"{Id} {Port} {(IsPrimary ? "primary" : "replica of " + PrimaryId)} epoch {ConfigEpoch} slots {string.Join(',', Slots.Select(range => $"{range.From}-{range.To}"))}";

        public static TopologyNode Parse(string line)
        {
            // <id> <ip:port@cport> <flags> <primary> <ping> <pong> <epoch> <link> <slot> <slot> ...
            var parts = line.Split(' ');
            var port = int.Parse(parts[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture);
            var flags = parts[2].Split(',').ToHashSet();
            var slots = parts.Skip(8)
                .Where(part => !part.StartsWith('['))
                .Select(part => part.Split('-'))
                .Select(range => (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[^1], CultureInfo.InvariantCulture)))
                .ToList();
            return new TopologyNode(
                parts[0],
                port,
                flags.Contains("master"),
                flags.Contains("fail") || flags.Contains("fail?"),
                parts[3] == "-" ? null : parts[3],
                slots,
                flags,
                long.Parse(parts[6], CultureInfo.InvariantCulture),
                flags.Contains("myself") || parts[7] == "connected");
        }
    }
}

/// <summary>How the nodes of a test cluster react to a node that stops answering.</summary>
public sealed record RedisClusterOptions
{
    /// <summary>
    /// For tests that break the cluster on purpose: a node unanswered for 1 s counts as failing and its replica takes
    /// over by itself, so a killed primary is replaced within seconds.
    /// </summary>
    public static RedisClusterOptions Faults { get; } = new() { NodeTimeout = TimeSpan.FromSeconds(1), AutomaticFailover = true, Durable = true };

    /// <summary>
    /// For a cluster many tests share and nothing breaks: Redis's default node timeout (15 s), no failover but a
    /// requested one, and no append-only file (nothing restarts a node; an fsync on every write stalls a node on a
    /// busy disk). With 1 s, a busy machine (a starved process, a slow fsync, a long script) made a primary miss the
    /// timeout and its replica took over in the middle of other tests: CLUSTERDOWN, then no replica to confirm writes
    /// until the old primary had synced again.
    /// </summary>
    public static RedisClusterOptions Steady { get; } = new() { NodeTimeout = TimeSpan.FromSeconds(15), AutomaticFailover = false, Durable = false };

    /// <summary><c>cluster-node-timeout</c>: how long a node may leave the others unanswered before they count it as failing.</summary>
    public TimeSpan NodeTimeout { get; init; }

    /// <summary>Whether a replica takes over by itself from a primary counted as failed (<c>cluster-replica-no-failover no</c>).</summary>
    public bool AutomaticFailover { get; init; }

    /// <summary>Whether each node keeps an append-only file synced on every write, so a killed node restarts with its data.</summary>
    public bool Durable { get; init; }
}
