using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace NpsGrpc.Testing;

/// <summary>
/// A real Redis Cluster on loopback: three primaries and three replicas, each a redis-server process with its own
/// append-only file. Tests can fail a primary over, kill one, or migrate a slot while the server is writing.
/// </summary>
public sealed class RedisCluster : IRedisDeployment
{
    public const int SlotCount = 16384;

    private readonly IReadOnlyList<RedisServer> _nodes;
    private ConnectionMultiplexer? _admin;

    private RedisCluster(IReadOnlyList<RedisServer> nodes) => _nodes = nodes;

    public string Configuration => string.Join(',', _nodes.Select(node => node.Configuration));

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>Starts six nodes and joins them: <c>redis-cli --cluster create ... --cluster-replicas 1</c>.</summary>
    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = new List<RedisServer>();
        for (var i = 0; i < 6; i++)
        {
            // The cluster bus port is chosen once per client port, so a node restarted on its data directory keeps
            // it, while a start retried on another client port (see RedisServer.StartAsync) gets a fresh one.
            var busPorts = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
            nodes.Add(await RedisServer.StartAsync(durable: true, new RedisServerOptions
            {
                Arguments = port =>
                [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000",
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
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
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
                var text = (string)(await CommandAsync(node, "CLUSTER", "NODES").ConfigureAwait(false))!;
                // Over RESP3 the reply is a verbatim string, which arrives with its format prefix.
                text = text.StartsWith("txt:", StringComparison.Ordinal) ? text[4..] : text;
                return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TopologyNode.Parse).Where(n => !n.Failed)];
            }
            catch (RedisConnectionException)
            {
                // That node is down; ask the next one.
            }
        }

        throw new InvalidOperationException("No cluster node answered CLUSTER NODES.");
    }

    /// <summary>Every node up, every slot served, every replica in sync with its primary.</summary>
    private Task WaitUntilHealthyAsync() => WaitUntilAsync(
        async () =>
        {
            foreach (var node in _nodes)
            {
                var info = (string)(await CommandAsync(node, "CLUSTER", "INFO").ConfigureAwait(false))!;
                var replication = (string)(await CommandAsync(node, "INFO", "replication").ConfigureAwait(false))!;
                if (!info.Contains("cluster_state:ok", StringComparison.Ordinal)
                    || !info.Contains("cluster_known_nodes:6", StringComparison.Ordinal)
                    || (replication.Contains("role:slave", StringComparison.Ordinal) && !replication.Contains("master_link_status:up", StringComparison.Ordinal)))
                {
                    return false;
                }
            }

            var topology = await TopologyAsync().ConfigureAwait(false);
            return topology.Count(node => node.IsPrimary) == 3 && topology.Count(node => !node.IsPrimary) == 3;
        },
        "the cluster to be healthy");

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
    private sealed record TopologyNode(string Id, int Port, bool IsPrimary, bool Failed, string? PrimaryId, IReadOnlyList<(int From, int To)> Slots)
    {
        public bool Serves(int slot) => Slots.Any(range => slot >= range.From && slot <= range.To);

        public static TopologyNode Parse(string line)
        {
            // <id> <ip:port@cport> <flags> <primary> <ping> <pong> <epoch> <link> <slot> <slot> ...
            var parts = line.Split(' ');
            var port = int.Parse(parts[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture);
            var flags = parts[2].Split(',');
            var slots = parts.Skip(8)
                .Where(part => !part.StartsWith('['))
                .Select(part => part.Split('-'))
                .Select(range => (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[^1], CultureInfo.InvariantCulture)))
                .ToList();
            return new TopologyNode(parts[0], port, flags.Contains("master"), flags.Contains("fail") || flags.Contains("fail?"), parts[3] == "-" ? null : parts[3], slots);
        }
    }
}
