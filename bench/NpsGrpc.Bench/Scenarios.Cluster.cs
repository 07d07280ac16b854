using NpsGrpc.Bench.Load;
using NpsGrpc.Bench.Measure;
using NpsGrpc.Bench.Workloads;
using M = NpsGrpc.Bench.Report.Markdown;

namespace NpsGrpc.Bench;

/// <summary>Scenario 7, on a cluster only: what acknowledging after WAIT for a replica costs.</summary>
internal sealed partial class BenchRun
{
    private async Task ReplicaAcknowledgementCostAsync()
    {
        if (_options.NoWaitServer is not { } noWaitServer)
        {
            throw new InvalidOperationException("--no-wait-server is required on a cluster.");
        }

        _body.Heading(2, "7. Replica acknowledgement cost");
        _body.Paragraph(
            $"Workload: scenario 1 (one hot product) and scenario 2 (the realistic mix), 4 streams with batches of 1000, {M.Seconds(_sizes.Cell.TotalSeconds)} s per server, " +
            "against two servers on the same cluster: the one measured above, which acknowledges a batch only after `WAIT` reports that a replica of " +
            "every primary it wrote to has it (`Redis__ReplicaAcknowledgements=1`: the batch survives the loss of its primary), and one that " +
            "acknowledges as soon as the primaries have applied and fsynced it (`Redis__ReplicaAcknowledgements=0`: a failover can lose the last " +
            "acknowledged batches). The two servers run at the same time; only the one being measured has load, and each is measured in two halves " +
            "(with WAIT, without, without, with) so that neither gains from running second.");

        using var channel = OpenChannel(noWaitServer);
        var noWait = new IngestRunner(channel.CreateCallInvoker(), _runId);
        await WarmUpIngestionAsync(noWait, "s7-warmup").ConfigureAwait(false);

        var rows = new List<string[]>();
        foreach (var (name, slug, batches) in new[]
                 {
                     ("one hot product", "hot", Workload.HotProduct("replicated", 1000, _sizes.DistinctBatches)),
                     ("realistic mix", "mix", Workload.RealisticMix("r", _sizes.MixProducts, 1000, _sizes.DistinctBatches)),
                 })
        {
            // A, B, B, A: each server measured early and late, so neither gains from the other's warm-up or suffers a later slowdown.
            var halfCell = _sizes.Cell / 2;
            Log($"scenario 7: {name}, with WAIT, without, without, with");
            var waitingFirst = await _ingest.RunAsync($"s7-wait-{slug}-1", 4, batches, halfCell).ConfigureAwait(false);
            var notWaitingFirst = await noWait.RunAsync($"s7-nowait-{slug}-1", 4, batches, halfCell).ConfigureAwait(false);
            var notWaitingSecond = await noWait.RunAsync($"s7-nowait-{slug}-2", 4, batches, halfCell).ConfigureAwait(false);
            var waitingSecond = await _ingest.RunAsync($"s7-wait-{slug}-2", 4, batches, halfCell).ConfigureAwait(false);
            var waiting = Together(waitingFirst, waitingSecond);
            var notWaiting = Together(notWaitingFirst, notWaitingSecond);
            _headlines.Add((
                $"Scenario 7: WAIT for a replica, {name}, 4 streams",
                $"{M.Count(waiting.ResponsesPerSecond)} responses/s with WAIT against {M.Count(notWaiting.ResponsesPerSecond)} without ({M.Ratio(waiting.ResponsesPerSecond / notWaiting.ResponsesPerSecond)}); " +
                $"ack p99 {M.Ms(waiting.AckLatency.Milliseconds(99))} ms against {M.Ms(notWaiting.AckLatency.Milliseconds(99))} ms"));
            foreach (var (setting, result) in new[] { ("WAIT for 1 replica", waiting), ("no WAIT", notWaiting) })
            {
                rows.Add(Row(name, setting, M.Count(result.ResponsesPerSecond), M.Ratio(result.ResponsesPerSecond / notWaiting.ResponsesPerSecond),
                    M.Ms(result.AckLatency.Milliseconds(50)), M.Ms(result.AckLatency.Milliseconds(99))));
            }
        }

        _body.Table(["workload", "acknowledgement", "responses/s", "against no WAIT", "ack p50 ms", "ack p99 ms"], rows);
    }

    private static IngestResult Together(IngestResult first, IngestResult second) => new(
        first.Responses + second.Responses, first.Batches + second.Batches, first.Seconds + second.Seconds,
        Latencies.Merge(first.AckLatency, second.AckLatency), first.Duplicates + second.Duplicates, first.Rejected + second.Rejected);

    private const string SummaryBegin = "<!-- bench/run --cluster writes from here -->";
    private const string SummaryEnd = "<!-- to here -->";

    /// <summary>
    /// Replaces the measured summary in docs/scaling.md (between its markers) with this run's headline figures,
    /// so the numbers there come from bench/run like every other.
    /// </summary>
    private async Task WriteScalingSummaryAsync(string path)
    {
        var text = await File.ReadAllTextAsync(path).ConfigureAwait(false);
        var begin = text.IndexOf(SummaryBegin, StringComparison.Ordinal);
        var end = text.IndexOf(SummaryEnd, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path} lacks the markers '{SummaryBegin}' ... '{SummaryEnd}'.");
        }

        var summary = new M();
        summary.Paragraph(
            $"From `bench/run --cluster` on {_now:yyyy-MM-dd HH:mm} UTC, on this {Environment.ProcessorCount}-core machine with all six nodes, " +
            "the server (acknowledging after `WAIT` for one replica) and the load generator sharing its cores; the full tables, workloads and " +
            "baselines are in [benchmarks-cluster.md](benchmarks-cluster.md).");
        summary.Table(["measured", "on the local cluster"], _headlines.Select(h => (IReadOnlyList<string>)[h.What, h.Measured]));
        var updated = text[..(begin + SummaryBegin.Length)] + "\n" + summary.ToString().Trim() + "\n" + text[end..];
        await File.WriteAllTextAsync(path, updated).ConfigureAwait(false);
        Console.WriteLine($"==> wrote the summary in {path}");
    }

    /// <summary>Where the measured keys live: which primary owns the hot product, the read product and the baseline keys.</summary>
    private IEnumerable<string> ClusterLayout()
    {
        var configuration = _primaries[0].ClusterConfiguration!;
        foreach (var (what, key) in new[] { ("hot product (scenario 1)", "nps:{hot}"), ("read product (scenario 3)", "nps:{read}"), ("redis-benchmark keys", "bench:{limit}") })
        {
            yield return $"{what} (`{key}`): slot {_redis.HashSlot(key)} on the primary {configuration.GetBySlot((StackExchange.Redis.RedisKey)key)!.EndPoint}";
        }
    }
}
