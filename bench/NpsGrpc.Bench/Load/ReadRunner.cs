using System.Diagnostics;
using NpsGrpc.Bench.Measure;

namespace NpsGrpc.Bench.Load;

/// <summary>What a closed loop of concurrent calls achieved.</summary>
internal sealed record CallResult(long Calls, double Seconds, Latencies Latency, long Failures)
{
    public double CallsPerSecond => Calls / Seconds;
}

/// <summary>
/// A closed loop: <c>concurrency</c> workers each issue one call, wait for it, and issue the next, until the
/// duration is over or the call budget is spent.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<CallResult> RunAsync(int concurrency, TimeSpan duration, Func<Task> call, long maxCallsPerWorker = long.MaxValue)
    {
        var latencies = new Latencies();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var ticks = new List<long>(8192);
            long failures = 0;
            while (ticks.Count < maxCallsPerWorker && Stopwatch.GetTimestamp() < deadline)
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await call().ConfigureAwait(false);
                }
                catch (Exception e) when (e is Grpc.Core.RpcException or Npgsql.NpgsqlException)
                {
                    failures++;
                    continue;
                }

                ticks.Add(Stopwatch.GetTimestamp() - before);
            }

            latencies.AddRange(ticks);
            return (Calls: (long)ticks.Count, Failures: failures);
        }))).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new CallResult(counts.Sum(c => c.Calls), seconds, latencies, counts.Sum(c => c.Failures));
    }
}
