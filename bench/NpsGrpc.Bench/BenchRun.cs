using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Npgsql;
using NpsGrpc.Bench.Baselines;
using NpsGrpc.Bench.Load;
using NpsGrpc.Bench.Measure;
using NpsGrpc.Bench.Report;
using NpsGrpc.Bench.Workloads;
using NpsGrpc.V1;
using StackExchange.Redis;
using M = NpsGrpc.Bench.Report.Markdown;

namespace NpsGrpc.Bench;

/// <summary>One run of every scenario against a live server, its Redis and PostgreSQL; writes the report.</summary>
internal sealed partial class BenchRun : IAsyncDisposable
{
    private static readonly int[] IngestStreams = [1, 4, 16];
    private static readonly int[] BatchSizes = [100, 1000];
    private static readonly int[] ReadConcurrency = [1, 16, 64];

    private readonly BenchOptions _options;
    private readonly Sizes _sizes;
    private readonly GrpcChannel _channel;
    private readonly NpsService.NpsServiceClient _client;
    private readonly IngestRunner _ingest;
    private readonly ConnectionMultiplexer _redis;
    private readonly IServer _redisServer;
    private readonly IServer[] _primaries;
    private readonly RedisBenchmark _redisBenchmark;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly PostgresBaseline? _sql;
    private readonly ResourceMeter _meter;
    private readonly (GrpcChannel Channel, ResourceMeter Meter)? _floor;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly string _runId = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private readonly M _body = new();
    private readonly List<TargetResult> _targets = [];
    private readonly List<(string What, string Measured)> _headlines = [];
    private readonly Dictionary<(string Command, int Clients, int Pipeline), RedisBenchmarkResult> _limits = [];
    private string? _applyShapedSha;
    private string? _tallyFloorSha;
    private string? _packedTallyFloorSha;

    private BenchRun(BenchOptions options, ConnectionMultiplexer redis, NpgsqlDataSource? dataSource)
    {
        _options = options;
        _sizes = options.Quick ? Sizes.Quick : Sizes.Full;
        _channel = OpenChannel(options.Server);
        _client = new NpsService.NpsServiceClient(_channel);
        _ingest = new IngestRunner(_channel.CreateCallInvoker(), _runId);
        _redis = redis;
        _primaries = redis.GetServers().Where(server => !server.IsReplica).ToArray();
        // redis-benchmark and the apply-shaped script go to the node that owns the baseline keys' slot.
        var limitNode = options.Cluster
            ? _primaries[0].ClusterConfiguration!.GetBySlot((RedisKey)"bench:{limit}:all")!.EndPoint!
            : redis.GetEndPoints()[0];
        _redisServer = redis.GetServer(limitNode);
        var (host, port) = limitNode switch
        {
            System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            System.Net.DnsEndPoint dns => (dns.Host, dns.Port),
            _ => throw new InvalidOperationException($"Unexpected Redis endpoint {limitNode}."),
        };
        _redisBenchmark = new RedisBenchmark(host, port);
        _dataSource = dataSource;
        _sql = dataSource is null ? null : new PostgresBaseline(dataSource);
        var redisProcesses = redis.GetServers().Select(server => new ProcessMeter(int.Parse(
            server.Info("server").SelectMany(group => group).First(pair => pair.Key == "process_id").Value, CultureInfo.InvariantCulture))).ToArray();
        _meter = new ResourceMeter(new ProcessMeter(options.ServerPid), redisProcesses);
        if (options.FloorServer is { } floor)
        {
            _floor = (OpenChannel(floor), new ResourceMeter(new ProcessMeter(options.FloorServerPid), redisProcesses));
        }
    }

    public static async Task<BenchRun> StartAsync(BenchOptions options)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(options.Redis + ",allowAdmin=true,syncTimeout=60000,asyncTimeout=60000").ConfigureAwait(false);
        var dataSource = options.Postgres is null ? null : NpgsqlDataSource.Create(options.Postgres);
        return new BenchRun(options, redis, dataSource);
    }

    public async Task RunAsync()
    {
        await WaitForServerAsync().ConfigureAwait(false);
        if (_sql is not null)
        {
            await _sql.ResetAsync().ConfigureAwait(false);
        }

        _applyShapedSha = Convert.ToHexStringLower(await _redisServer.ScriptLoadAsync(RedisBenchmark.ApplyShapedScript).ConfigureAwait(false));
        _tallyFloorSha = Convert.ToHexStringLower(await _redisServer.ScriptLoadAsync(RedisBenchmark.TallyFloorScript).ConfigureAwait(false));
        _packedTallyFloorSha = Convert.ToHexStringLower(await _redisServer.ScriptLoadAsync(RedisBenchmark.PackedTallyFloorScript).ConfigureAwait(false));
        await WarmUpAsync().ConfigureAwait(false);

        var scenarios = new (int Number, Func<Task> Run)[]
        {
            (1, IngestionHotProductAsync), (2, IngestionMixAsync), (3, ReadsAsync), (4, GrowthAsync), (5, MemoryAsync), (6, DurabilityAsync),
            (7, ReplicaAcknowledgementCostAsync), (8, FollowUpDeliveryAsync), (9, LiveScoresAsync),
        };
        foreach (var (number, run) in scenarios.Where(s => _options.Runs(s.Number)))
        {
            await run().ConfigureAwait(false);
        }

        if (!_options.Cluster)
        {
            MicroBenchmarks();
        }

        Directory.CreateDirectory(_options.OutDirectory);
        var report = Path.Combine(_options.OutDirectory, _options.Cluster ? "benchmarks-cluster.md" : "benchmarks.md");
        await File.WriteAllTextAsync(report, Assemble()).ConfigureAwait(false);
        Console.WriteLine($"==> wrote {report}");
        if (_options.ScalingDoc is { } scaling)
        {
            await WriteScalingSummaryAsync(scaling).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        _floor?.Channel.Dispose();
        await _redis.DisposeAsync().ConfigureAwait(false);
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the server answers a read from Redis (NOT_FOUND for a product nobody wrote is an answer).</summary>
    private async Task WaitForServerAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _client.GetScoreAsync(new GetScoreRequest { ProductId = "bench-ready" }, deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync.ConfigureAwait(false);
                return;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                return;
            }
            catch (Grpc.Core.RpcException) when (attempt < 300)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A channel to a server under test: several HTTP/2 connections, so 64 concurrent calls are not capped by one.</summary>
    private static GrpcChannel OpenChannel(Uri server) => GrpcChannel.ForAddress(server, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        MaxReceiveMessageSize = 16 * 1024 * 1024,
    });

    private TimeSpan WarmUpTime => TimeSpan.FromSeconds(_options.Quick ? 0.3 : 2);

    /// <summary>JIT and connection pools warm, outside every measurement.</summary>
    private async Task WarmUpAsync()
    {
        Log("warm-up");
        await WarmUpIngestionAsync(_ingest, "warmup").ConfigureAwait(false);
        await ClosedLoop.RunAsync(16, WarmUpTime, () => _client.GetScoreAsync(new GetScoreRequest { ProductId = "warmup" }).ResponseAsync).ConfigureAwait(false);
    }

    /// <summary>
    /// Both ingestion workloads through <paramref name="runner"/>'s server, so its JIT and connections are warm;
    /// <paramref name="name"/> names the writers (fresh ones per server, or their batches would only be duplicates).
    /// </summary>
    private async Task WarmUpIngestionAsync(IngestRunner runner, string name)
    {
        await runner.RunAsync(name, 4, Workload.HotProduct("warmup", 1000, 4), WarmUpTime).ConfigureAwait(false);
        await runner.RunAsync($"{name}-mix", 4, Workload.RealisticMix("warmup-", 100, 1000, 4), WarmUpTime).ConfigureAwait(false);
    }

    private async Task<RedisBenchmarkResult> LimitAsync(string name, int clients, int pipeline, int requests, params string[] command)
    {
        if (!_limits.TryGetValue((name, clients, pipeline), out var result))
        {
            result = await _redisBenchmark.RunAsync(clients, pipeline, requests, command).ConfigureAwait(false);
            _limits[(name, clients, pipeline)] = result with { Command = name };
        }

        return _limits[(name, clients, pipeline)];
    }

    /// <summary>Unpipelined writes wait for an fsync each under appendfsync always: fewer of them keep the run short.</summary>
    private int WriteRequests => Math.Max(200, _sizes.RedisBenchmarkRequests / 20);

    private Task<RedisBenchmarkResult> ApplyShapedLimitAsync(int clients) => LimitAsync(
        "EVALSHA (apply-shaped)", clients, 1, WriteRequests,
        "EVALSHA", _applyShapedSha!, "4", "bench:{limit}:w", "bench:{limit}:all", "bench:{limit}:m", "bench:{limit}:d", "1",
        _now.AddDays(400).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>A mix response's 12 tallies: all time, month and day, for the product and one label of each vocabulary.</summary>
    private static readonly string[] FloorTallies =
    [
        .. from period in new[] { "all", "m", "d" }
           from label in new[] { "", ":seg:region=eu", ":seg:plan=pro", ":seg:channel=web" }
           select $"bench:{{limit}}:mix:{period}{label}",
    ];

    /// <summary>The tally floor script for <paramref name="responses"/> responses, pipelined 16 deep: Redis busy, not waiting on fsyncs.</summary>
    private Task<RedisBenchmarkResult> TallyFloorLimitAsync(int clients, int responses) => LimitAsync(
        $"EVALSHA (12 tallies x {responses} responses)", clients, 16, Math.Max(200, _sizes.RedisBenchmarkRequests / 5),
        [
            "EVALSHA", _tallyFloorSha!, "13", "bench:{limit}:mix:w",
            .. FloorTallies,
            responses.ToString(CultureInfo.InvariantCulture),
        ]);

    /// <summary>The same floor with each period's 4 tallies packed into one BITFIELD string.</summary>
    private Task<RedisBenchmarkResult> PackedTallyFloorLimitAsync(int clients, int responses) => LimitAsync(
        $"EVALSHA (12 tallies x {responses} responses, packed: 3 BITFIELDs)", clients, 16, Math.Max(200, _sizes.RedisBenchmarkRequests / 5),
        "EVALSHA", _packedTallyFloorSha!, "4", "bench:{limit}:packed:w", "bench:{limit}:packed:all", "bench:{limit}:packed:m", "bench:{limit}:packed:d",
        responses.ToString(CultureInfo.InvariantCulture));

    private static void Log(string what) => Console.WriteLine($"==> {DateTime.UtcNow:HH:mm:ss} {what}");

    private static string[] Row(params string[] cells) => cells;

    private static string Cores(double cpuSeconds, double seconds) => (cpuSeconds / seconds).ToString("F2", CultureInfo.InvariantCulture);

    private static Timestamp Midnight(DateOnly day) => Timestamp.FromDateTimeOffset(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    private sealed record TargetResult(string Target, string Measured, bool Met, string Limit);
}
