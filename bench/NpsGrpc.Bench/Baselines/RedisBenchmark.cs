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

    /// <summary>
    /// The least a product's script in the realistic mix must do: for each of ARGV[1] responses, each with a score of
    /// its own so nothing folds, one HINCRBY (through pcall, as the apply script does) into each of the 12 tallies
    /// in KEYS[2..13] (all time, month and day, for the product and 3 labels), between the writer's sequence check
    /// and the new sequence. No expiry, labels set, or respondent state: a floor, not a copy.
    /// </summary>
    public const string TallyFloorScript = """
        local last = redis.call('GET', KEYS[1])
        for r = 1, tonumber(ARGV[1]) do
          local score = r % 11
          for i = 2, #KEYS do
            local reply = redis.pcall('HINCRBY', KEYS[i], score, 1)
            if type(reply) == 'table' and reply.err then return reply end
          end
        end
        redis.call('SET', KEYS[1], (tonumber(last) or 0) + 1, 'PX', 604800000)
        return 1
        """;

    /// <summary>
    /// The same work with the 11 counts of the 4 tallies of a period packed into one string (all time, month and day:
    /// KEYS[2..4]): one BITFIELD of INCRBY i64 per period instead of one HINCRBY per tally, the layout that would spend
    /// the fewest Redis commands on it.
    /// </summary>
    public const string PackedTallyFloorScript = """
        local last = redis.call('GET', KEYS[1])
        for k = 2, #KEYS do
          local args = { 'OVERFLOW', 'FAIL' }
          for r = 1, tonumber(ARGV[1]) do
            local score = r % 11
            for tally = 0, 3 do
              args[#args + 1] = 'INCRBY'
              args[#args + 1] = 'i64'
              args[#args + 1] = '#' .. (tally * 11 + score)
              args[#args + 1] = 1
            end
          end
          local reply = redis.pcall('BITFIELD', KEYS[k], unpack(args))
          if type(reply) == 'table' and reply.err then return reply end
        end
        redis.call('SET', KEYS[1], (tonumber(last) or 0) + 1, 'PX', 604800000)
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
