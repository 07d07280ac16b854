using System.Diagnostics;
using System.Globalization;
using System.Text;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>
/// Steady load for NPS_SOAK_SECONDS (60 by default, so CI stays fast; set it to a few hundred for a real soak)
/// against a server process on a durable Redis, sampling the server's resident memory and Redis's used_memory.
/// The samples go to the test output and to NPS_SOAK_REPORT (default TestResults/soak-report.txt at the repository root).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int BatchSize = 200;
    private const int Samples = 15;
    // Each writer sends a batch every 100 ms at most: 8,000 responses a second in all, steady rather than flat out.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Under_steady_load_server_and_redis_memory_stay_flat_after_warm_up_and_every_response_is_counted_once()
    {
        var duration = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("NPS_SOAK_SECONDS") ?? "60", CultureInfo.InvariantCulture));
        await using var redis = await RedisServer.StartAsync(durable: true);
        // Detractors are recorded (records grow with traffic until their retention or the per-product cap trims
        // them): a small cap makes the soak reach the records' steady state within its warm-up too, and shows the
        // trimming keeps up with steady load.
        await using var server = await ServerProcess.StartAsync(
            redis.Configuration, new Dictionary<string, string?> { ["Records:MaxPerProduct"] = "2000" }, output);
        var admin = await redis.AdminAsync();
        // A fixed set of products and labels: once every tally exists, steady load adds counts, never keys.
        var products = Enumerable.Range(0, 5).Select(i => UniqueProduct($"soak{i}")).ToArray();
        var tallies = Enumerable.Range(0, Writers).Select(_ => new ExpectedTallies()).ToArray();
        using var stop = new CancellationTokenSource();
        long sent = 0;

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            using var stream = new SubmissionStream(server.Client);
            using var pace = new PeriodicTimer(Pace);
            for (var sequence = 1L; !stop.IsCancellationRequested; sequence++)
            {
                var batch = Batch([.. Enumerable.Range(0, BatchSize).Select(_ => Workload.Response(random, products))], $"soak-{w}-{products[0]}", sequence);
                var ack = await stream.SubmitAsync(batch);
                Assert.Equal((sequence, BatchSize, false), (ack.Sequence, ack.AcceptedCount, ack.Duplicate));
                tallies[w].Add([batch]);
                Interlocked.Add(ref sent, BatchSize);
                await pace.WaitForNextTickAsync();
            }

            await stream.CompleteAsync();
        })).ToList();

        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= Samples; i++)
        {
            await Task.WhenAny(Task.WhenAny(writers), Task.Delay(TimeSpan.FromTicks(Math.Max(0, (duration * i / Samples - clock.Elapsed).Ticks))));
            Assert.All(writers.Where(writer => writer.IsCompleted), writer => Assert.True(writer.IsCompletedSuccessfully, writer.Exception?.ToString()));
            samples.Add(new Sample(clock.Elapsed, server.Memory(), await UsedMemoryAsync(redis), Interlocked.Read(ref sent)));
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var report = Report(duration, samples);
        output.WriteLine(report);
        var path = Environment.GetEnvironmentVariable("NPS_SOAK_REPORT") is { Length: > 0 } named
            ? named
            : Path.Combine(RepositoryPaths.Root, "TestResults", "soak-report.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, report);

        // After the warm-up third, the median of the last third may exceed the first sample after warm-up by 15 %
        // plus a fixed allowance: the GC's gen0 budget for the server's RSS, allocator slack for Redis.
        var baseline = samples[Samples / 3];
        var lastThird = samples.Skip(2 * Samples / 3).ToList();
        var serverNow = Median(lastThird.Select(sample => sample.Server.ResidentBytes));
        var redisNow = Median(lastThird.Select(sample => sample.RedisUsedMemory));
        Assert.True(serverNow <= (baseline.Server.ResidentBytes * 1.15) + (16 << 20), $"Server RSS grew from {baseline.Server.ResidentBytes} to a median of {serverNow} bytes.\n{report}");
        Assert.True(redisNow <= (baseline.RedisUsedMemory * 1.15) + (1 << 20), $"Redis used_memory grew from {baseline.RedisUsedMemory} to a median of {redisNow} bytes.\n{report}");

        var expected = new ExpectedTallies();
        foreach (var writer in tallies)
        {
            expected.Add(writer);
        }

        Assert.Equal(Interlocked.Read(ref sent), expected.Total);
        Assert.True(expected.Total > 0, "The soak sent nothing.");
        await expected.AssertExactAsync(server.Client, admin);
    }

    private static async Task<long> UsedMemoryAsync(RedisServer redis)
    {
        var info = await redis.AdminServer().InfoAsync("memory");
        return long.Parse(info.SelectMany(section => section).First(pair => pair.Key == "used_memory").Value, CultureInfo.InvariantCulture);
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Report(TimeSpan duration, List<Sample> samples)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"soak {duration.TotalSeconds:0} s, {Writers} writers, batches of {BatchSize} every {Pace.TotalMilliseconds:0} ms each; warm-up: first {Samples / 3} samples");
        report.AppendLine("seconds  server_rss_mib  server_peak_rss_mib  redis_used_memory_mib  responses_sent");
        foreach (var sample in samples)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{sample.Elapsed.TotalSeconds,7:0.0}  {Mib(sample.Server.ResidentBytes),14:0.00}  {Mib(sample.Server.PeakResidentBytes),19:0.00}  {Mib(sample.RedisUsedMemory),21:0.00}  {sample.ResponsesSent,14}");
        }

        return report.ToString();

        static double Mib(long bytes) => bytes / 1048576.0;
    }

    private sealed record Sample(TimeSpan Elapsed, ProcessMemory Server, long RedisUsedMemory, long ResponsesSent);
}
