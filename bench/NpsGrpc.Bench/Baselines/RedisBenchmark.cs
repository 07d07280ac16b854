using System.Diagnostics;
using System.Globalization;

namespace NpsGrpc.Bench.Baselines;

/// <summary>One redis-benchmark measurement: requests per second and its latency percentiles (ms).</summary>
internal sealed record RedisBenchmarkResult(string Command, int Clients, int Pipeline, double RequestsPerSecond, double P50, double P99);

/// <summary>
/// The physical limit of the store: redis-benchmark (the tool that ships with Redis) against the same Redis,
/// at the same concurrency as the scenario it is compared with.
/// </summary>
internal sealed class RedisBenchmark(string host, int port)
{
    /// <summary>
    /// A script shaped like the server's apply script for one batch of one product: the writer's sequence check,
    /// eleven HINCRBYs (through pcall, each recorded for taking back on failure) into each of the all-time, month
    /// and day tallies, the day's expiry and the new sequence.
    /// </summary>
    public const string ApplyShapedScript = """
        local last = redis.call('GET', KEYS[1])
        local sequence = (tonumber(last) or 0) + 1
        local keys, fields, n = {}, {}, 0
        for i = 2, #KEYS do
          for score = 0, 10 do
            local reply = redis.pcall('HINCRBY', KEYS[i], score, ARGV[1])
            if type(reply) == 'table' and reply.err then return reply end
            n = n + 1
            keys[n], fields[n] = KEYS[i], score
          end
        end
        redis.call('PEXPIREAT', KEYS[4], ARGV[2])
        redis.call('SET', KEYS[1], sequence, 'PX', 604800000)
        return 1
        """;

    public async Task<RedisBenchmarkResult> RunAsync(int clients, int pipeline, int requests, params string[] command)
    {
        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture),
                     "-n", requests.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture), "--csv" }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start.");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        // --csv: a header line, then "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms".
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => !l.StartsWith("\"test\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"redis-benchmark printed nothing to parse: {output}");
        var fields = line.Split("\",\"").Select(f => f.Trim('"', '\r')).ToArray();
        double Field(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
        return new RedisBenchmarkResult(string.Join(' ', command.Take(1)), clients, pipeline, Field(1), Field(4), Field(6));
    }
}
