using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Bench.Load;
using NpsGrpc.Bench.Measure;
using NpsGrpc.Bench.Workloads;
using NpsGrpc.V1;
using M = NpsGrpc.Bench.Report.Markdown;

namespace NpsGrpc.Bench;

/// <summary>Scenario 10: 1,000 WatchScore watchers on one server during scenario 2's mix, against the same run without them.</summary>
internal sealed partial class BenchRun
{
    private const int Watchers = 1000;
    private const int TracedWatchers = 100;
    private const int WatchedMixProducts = 300;
    private const int TracedWatchBatchSize = 10;
    private static readonly TimeSpan TracedWatchGap = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TracedMinInterval = TimeSpan.FromMilliseconds(100);

    private async Task LiveScoresAsync()
    {
        const int streams = 4;
        var mix = Workload.RealisticMix("s10-", _sizes.MixProducts, 1000, _sizes.DistinctBatches);
        var views = WatchedMixProducts * 3;
        _body.Heading(2, "10. Live scores");
        _body.Paragraph(
            $"Workload: scenario 2's mix at {streams} streams for {M.Seconds(_sizes.Cell.TotalSeconds)} s, plus one writer sending traced batches of " +
            $"{TracedWatchBatchSize} responses to a product of its own, one at a time: each waits for its ack (behind the mix's batches in the group " +
            $"committer's queue), then {TracedWatchGap.TotalMilliseconds:F0} ms, before the next; once without watchers, then with " +
            $"{M.Count(Watchers)} `WatchScore` streams open on the server (over a channel of their own): {M.Count(TracedWatchers)} on the traced product " +
            $"(`min_interval` {TracedMinInterval.TotalMilliseconds:F0} ms, the least) and {M.Count(views)} on the mix's {M.Count(WatchedMixProducts)} most " +
            "popular products, three each (all responses, `region=eu`, a 30-day window; the default `min_interval` of 1 s). Latency runs from the traced " +
            "writer's receipt of a batch's ack to each traced watcher's receipt of a score that counts it (one process, one clock; it can be negative when the " +
            "score arrives before the ack). The server holds one subscription per watched product (301), whatever the number of watchers, and reads each " +
            "watched score (product, segment, window) once per notice for all its watchers. CPU is the server's and Redis's over the measured run; memory is " +
            "the server's peak RSS during it.");

        Log("scenario 10: the mix without watchers");
        var (plain, plainUse) = await _meter.MeasureAsync(() => MixWithTracedWritesAsync("s10-plain", streams, mix, null)).ConfigureAwait(false);

        Log($"scenario 10: {Watchers} watchers");
        using var watchChannel = OpenChannel(_options.Server);
        await using var watchers = new WatcherSet(new NpsService.NpsServiceClient(watchChannel));
        var traced = $"s10-traced-{_runId}";
        for (var i = 0; i < TracedWatchers; i++)
        {
            watchers.Start(new WatchScoreRequest { ProductId = traced, MinInterval = Duration.FromTimeSpan(TracedMinInterval) }, traced: true);
        }

        for (var rank = 0; rank < WatchedMixProducts; rank++)
        {
            var product = $"s10-{rank:D4}";
            watchers.Start(new WatchScoreRequest { ProductId = product }, traced: false);
            watchers.Start(new WatchScoreRequest { ProductId = product, Segment = "region=eu" }, traced: false);
            watchers.Start(new WatchScoreRequest { ProductId = product, WindowDays = 30 }, traced: false);
        }

        await watchers.AllStartedAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var firstScores = watchers.ScoresReceived;
        var (watched, watchedUse) = await _meter.MeasureAsync(() => MixWithTracedWritesAsync("s10-watched", streams, mix, watchers, traced)).ConfigureAwait(false);
        var delivered = watchers.ScoresReceived - firstScores;
        await watchers.DisposeAsync().ConfigureAwait(false);

        var latencies = watched.Latencies;
        string[] Cells(string name, IngestedWithTraces run, ResourceUse use, string updates, string p50, string p99) =>
        [
            name, M.Count(run.Mix.ResponsesPerSecond), M.Count(run.Traced), updates, p50, p99,
            Cores(use.ServerCpu, use.Seconds), Cores(use.RedisCpu, use.Seconds), M.Megabytes(use.ServerPeakRss),
        ];

        _body.Table(
            ["setting", "mix responses/s", "traced batches", "scores sent to watchers (after their first)", "ack to watcher p50 ms", "p99 ms", "server cores", "Redis cores", "server peak RSS MiB"],
            [
                Cells("without watchers", plain, plainUse, "-", "-", "-"),
                Cells($"{M.Count(Watchers)} watchers", watched, watchedUse, M.Count(delivered), M.Ms(latencies.Milliseconds(50)), M.Ms(latencies.Milliseconds(99))),
            ]);
        var cpuRatio = (watchedUse.ServerCpu / watchedUse.Seconds) / (plainUse.ServerCpu / plainUse.Seconds);
        var memoryRatio = watchedUse.ServerPeakRss / (double)plainUse.ServerPeakRss;
        _body.Paragraph(
            $"With the watchers, the server used {M.Ratio(cpuRatio)} the CPU per second and {M.Ratio(memoryRatio)} the peak memory of the same run " +
            $"without them, for {M.Ratio(watched.Mix.ResponsesPerSecond / plain.Mix.ResponsesPerSecond)} the mix's throughput. {M.Count(latencies.Count)} " +
            "latencies (traced batches times traced watchers that saw them).");
        _headlines.Add((
            $"Scenario 10: {M.Count(Watchers)} live-score watchers during scenario 2's mix",
            $"ack to watcher p50 {M.Ms(latencies.Milliseconds(50))} ms, p99 {M.Ms(latencies.Milliseconds(99))} ms; server CPU {M.Ratio(cpuRatio)}, peak memory {M.Ratio(memoryRatio)} of the run without watchers"));
    }

    /// <summary>
    /// Runs the mix and, beside it, a writer of traced batches to a product of its own; with <paramref name="watchers"/>,
    /// also collects the latency from each traced batch's ack to each traced watcher's score that counts it.
    /// </summary>
    private async Task<IngestedWithTraces> MixWithTracedWritesAsync(
        string name, int streams, IReadOnlyList<EncodedResponses> mix, WatcherSet? watchers, string? tracedProduct = null)
    {
        var product = tracedProduct ?? $"s10-traced-plain-{_runId}";
        var load = _ingest.RunAsync(name, streams, mix, _sizes.Cell);
        var acked = new List<(long Total, long At)>();
        using (var writer = _client.SubmitResponses())
        {
            var started = Stopwatch.GetTimestamp();
            for (long sequence = 1; Stopwatch.GetElapsedTime(started) < _sizes.Cell; sequence++)
            {
                var request = new SubmitResponsesRequest { WriterId = $"bench-{_runId}-{name}-traced", Sequence = sequence };
                for (var i = 0; i < TracedWatchBatchSize; i++)
                {
                    request.Responses.Add(new SurveyResponse { ProductId = product, Score = 7 + (i % 4) });
                }

                await writer.RequestStream.WriteAsync(request).ConfigureAwait(false);
                if (!await writer.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false) || writer.ResponseStream.Current.AcceptedCount != TracedWatchBatchSize)
                {
                    throw new InvalidOperationException($"Traced batch {sequence} of {product} was not accepted whole.");
                }

                acked.Add((sequence * TracedWatchBatchSize, Stopwatch.GetTimestamp()));
                await Task.Delay(TracedWatchGap).ConfigureAwait(false);
            }

            await writer.RequestStream.CompleteAsync().ConfigureAwait(false);
            while (await writer.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
            }
        }

        var result = await load.ConfigureAwait(false);
        var latencies = new Latencies();
        if (watchers is not null)
        {
            // Each watcher's last score comes at most min_interval after the last ack, plus the notice and the read.
            await watchers.UntilTracedSeeAsync(acked[^1].Total, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            latencies.AddRange(watchers.TracedLatencies(acked));
        }

        return new IngestedWithTraces(result, acked.Count, latencies);
    }

    private sealed record IngestedWithTraces(IngestResult Mix, int Traced, Latencies Latencies);

    /// <summary>The watchers of scenario 9: each reads its stream in the background; the traced ones note when each total arrived.</summary>
    private sealed class WatcherSet(NpsService.NpsServiceClient client) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _reading = [];
        private readonly List<ConcurrentQueue<(long Total, long At)>> _traced = [];
        private readonly List<TaskCompletionSource> _started = [];
        private long _scores;
        private int _disposed;

        public long ScoresReceived => Interlocked.Read(ref _scores);

        public void Start(WatchScoreRequest request, bool traced)
        {
            var seen = traced ? new ConcurrentQueue<(long Total, long At)>() : null;
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (seen is not null)
            {
                _traced.Add(seen);
            }

            _started.Add(started);
            _reading.Add(Task.Run(async () =>
            {
                try
                {
                    using var call = client.WatchScore(request, cancellationToken: _stop.Token);
                    await foreach (var score in call.ResponseStream.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                    {
                        seen?.Enqueue((score.Score.Total, Stopwatch.GetTimestamp()));
                        Interlocked.Increment(ref _scores);
                        started.TrySetResult();
                    }
                }
                catch (RpcException e) when (_stop.IsCancellationRequested && (e.StatusCode == StatusCode.Cancelled || AbortedByCancellation(e)))
                {
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    started.TrySetException(e);
                    throw;
                }
            }));
        }

        /// <summary>
        /// Cancelling a call whose read is pending may surface as UNAVAILABLE with the IOException of the stream the
        /// cancellation aborted instead of CANCELLED (grpc-dotnet issue 1214): after our own stop, that is the stop.
        /// </summary>
        internal static bool AbortedByCancellation(RpcException e) =>
            e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is IOException;

        /// <summary>Returns once every watcher has its first score, so the measured run has them all open.</summary>
        public Task AllStartedAsync(TimeSpan timeout) => Task.WhenAll(_started.Select(started => started.Task)).WaitAsync(timeout);

        public async Task UntilTracedSeeAsync(long total, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (_traced.Any(seen => seen.IsEmpty || seen.Max(score => score.Total) < total) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
        }

        /// <summary>For each traced batch and traced watcher: from the batch's ack to the first score the watcher got that counts it.</summary>
        public List<long> TracedLatencies(IReadOnlyList<(long Total, long At)> acked)
        {
            var ticks = new List<long>();
            foreach (var seen in _traced)
            {
                var scores = seen.ToArray();
                foreach (var (total, at) in acked)
                {
                    var first = Array.Find(scores, score => score.Total >= total);
                    if (first.At != 0)
                    {
                        ticks.Add(first.At - at);
                    }
                }
            }

            return ticks;
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(_reading).ConfigureAwait(false);
                _stop.Dispose();
            }
        }
    }
}
