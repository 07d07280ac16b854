using System.Globalization;

namespace NpsGrpc.Bench;

/// <summary>The command line of the load generator; bench/run fills it in.</summary>
internal sealed record BenchOptions(
    Uri Server,
    int ServerPid,
    string Redis,
    string? Postgres,
    bool Quick,
    string OutDirectory,
    string? FactsFile,
    string? MicroReport,
    IReadOnlySet<int> Scenarios,
    bool Cluster,
    Uri? NoWaitServer,
    string? ScalingDoc,
    Uri? FloorServer,
    int FloorServerPid)
{
    /// <summary>
    /// Whether scenario <paramref name="number"/> runs: all of them unless --only names some. On a cluster only
    /// ingestion and reads (1-3) and the replica acknowledgement cost (7) run: growth, memory and the AOF settings
    /// are properties of one Redis and are measured there, as are follow-up delivery (8) and live scores (9).
    /// </summary>
    public bool Runs(int number) =>
        (Scenarios.Count == 0 || Scenarios.Contains(number)) && (Cluster ? number is <= 3 or 7 : number is <= 6 or 8 or 9);

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        var cluster = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--cluster")
            {
                cluster = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: --server URL --server-pid PID --redis HOST:PORT [--postgres CONNSTRING] [--quick] [--cluster --no-wait-server URL [--scaling-doc FILE]] [--floor-server URL --floor-server-pid PID] --out DIR [--facts FILE] [--micro FILE] [--only 1,2,...]");
            }
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
        return new BenchOptions(
            new Uri(Required("server")),
            int.Parse(Required("server-pid"), CultureInfo.InvariantCulture),
            Required("redis"),
            values.GetValueOrDefault("postgres"),
            quick,
            Required("out"),
            values.GetValueOrDefault("facts"),
            values.GetValueOrDefault("micro"),
            values.TryGetValue("only", out var only)
                ? only.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToHashSet()
                : new HashSet<int>(),
            cluster,
            values.TryGetValue("no-wait-server", out var noWait) ? new Uri(noWait) : null,
            values.GetValueOrDefault("scaling-doc"),
            values.TryGetValue("floor-server", out var floor) ? new Uri(floor) : null,
            values.TryGetValue("floor-server-pid", out var floorPid) ? int.Parse(floorPid, CultureInfo.InvariantCulture) : 0);
    }
}

/// <summary>How big each scenario is: the full run, or the smoke run of --quick.</summary>
internal sealed record Sizes(
    TimeSpan Cell,
    TimeSpan BaselineCell,
    int DistinctBatches,
    int MixProducts,
    long[] GrowthSteps,
    int ReadRows,
    int RedisBenchmarkRequests,
    int MemoryProducts,
    int MemoryRespondents,
    int GrowthReadCalls)
{
    public static readonly Sizes Full = new(
        TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(3), 512, 1000, [1_000, 100_000, 1_000_000, 10_000_000], 100_000, 100_000, 1000, 100_000, 2000);

    public static readonly Sizes Quick = new(
        TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(0.2), 8, 1000, [1_000, 100_000], 10_000, 2_000, 100, 10_000, 50);
}
