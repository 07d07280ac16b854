using System.Net;
using NpsGrpc.Bench.Load;
using NpsGrpc.Bench.Measure;
using NpsGrpc.Bench.Workloads;
using M = NpsGrpc.Bench.Report.Markdown;

namespace NpsGrpc.Bench;

/// <summary>Scenario 9, on a single Redis: what telemetry costs ingestion, with every exporter on against none.</summary>
internal sealed partial class BenchRun
{
    /// <summary>How often the scrape endpoint is read while the telemetry server is measured: three times Prometheus's default rate.</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(5);

    private async Task TelemetryCostAsync()
    {
        if (_options.TelemetryServer is not { } telemetryServer || _otlpSink is null)
        {
            throw new InvalidOperationException("--telemetry-server, --telemetry-server-pid and --otlp-sink-port are required for scenario 9.");
        }

        _body.Heading(2, "9. Telemetry cost");
        _body.Paragraph(
            $"Workload: scenario 1 (one hot product) and scenario 2 (the realistic mix), 4 streams with batches of 1000, {M.Seconds(_sizes.Cell.TotalSeconds)} s per server, " +
            "against two servers on the same Redis: the one measured above, on the defaults (no exporter configured, so nothing listens to the " +
            "instruments and no span is made), and one with every exporter on: OTLP/HTTP traces and metrics (`OTEL_EXPORTER_OTLP_ENDPOINT`, " +
            "`OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`, metrics every 10 s) to a sink in the load generator that reads each export and answers 200, " +
            $"every span kept (a server span per call and a client span per Redis command), and the Prometheus endpoint scraped every {ScrapeInterval.TotalSeconds:0} s. " +
            "The two servers run at the same time; only the one being measured has load, and each is measured in two halves (off, on, on, off). " +
            "Server CPU is per 1,000 responses.");

        using var channel = OpenChannel(telemetryServer);
        var on = new IngestRunner(channel.CreateCallInvoker(), _runId);
        var onMeter = new ResourceMeter(new ProcessMeter(_options.TelemetryServerPid), _redisProcesses);
        await WarmUpIngestionAsync(on, "s9-warmup").ConfigureAwait(false);
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var scrapeUri = new Uri(telemetryServer, "/metrics");

        var rows = new List<string[]>();
        var (requestsBefore, bytesBefore) = (_otlpSink.Requests, _otlpSink.Bytes);
        var scrapes = 0L;
        foreach (var (name, slug, batches) in new[]
                 {
                     ("one hot product", "hot", Workload.HotProduct("telemetry", 1000, _sizes.DistinctBatches)),
                     ("realistic mix", "mix", Workload.RealisticMix("t", _sizes.MixProducts, 1000, _sizes.DistinctBatches)),
                 })
        {
            var halfCell = _sizes.Cell / 2;
            Log($"scenario 9: {name}, telemetry off, on, on, off");
            var offFirst = await _meter.MeasureAsync(() => _ingest.RunAsync($"s9-off-{slug}-1", 4, batches, halfCell)).ConfigureAwait(false);
            var onFirst = await MeasureScrapedAsync($"s9-on-{slug}-1").ConfigureAwait(false);
            var onSecond = await MeasureScrapedAsync($"s9-on-{slug}-2").ConfigureAwait(false);
            var offSecond = await _meter.MeasureAsync(() => _ingest.RunAsync($"s9-off-{slug}-2", 4, batches, halfCell)).ConfigureAwait(false);
            var off = (Result: Together(offFirst.Result, offSecond.Result), Cpu: offFirst.Use.ServerCpu + offSecond.Use.ServerCpu);
            var measuredOn = (Result: Together(onFirst.Result, onSecond.Result), Cpu: onFirst.Use.ServerCpu + onSecond.Use.ServerCpu);
            double CpuPerThousand((IngestResult Result, double Cpu) run) => run.Cpu * 1000 * 1000 / run.Result.Responses;
            _headlines.Add((
                $"Scenario 9: telemetry on, {name}, 4 streams",
                $"{M.Count(measuredOn.Result.ResponsesPerSecond)} responses/s against {M.Count(off.Result.ResponsesPerSecond)} with telemetry off " +
                $"({M.Ratio(measuredOn.Result.ResponsesPerSecond / off.Result.ResponsesPerSecond)}); server CPU {M.Ms(CpuPerThousand(measuredOn))} ms " +
                $"against {M.Ms(CpuPerThousand(off))} ms per 1,000 responses"));
            foreach (var (setting, run) in new[] { ("on: OTLP traces and metrics, Prometheus", measuredOn), ("off (defaults)", off) })
            {
                rows.Add(Row(name, setting, M.Count(run.Result.ResponsesPerSecond), M.Ratio(run.Result.ResponsesPerSecond / off.Result.ResponsesPerSecond),
                    M.Ms(run.Result.AckLatency.Milliseconds(50)), M.Ms(run.Result.AckLatency.Milliseconds(99)), M.Ms(CpuPerThousand(run))));
            }

            async Task<(IngestResult Result, ResourceUse Use)> MeasureScrapedAsync(string runName)
            {
                using var stop = new CancellationTokenSource();
                var scraping = ScrapeAsync(stop.Token);
                var measured = await onMeter.MeasureAsync(() => on.RunAsync(runName, 4, batches, halfCell)).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
                scrapes += await scraping.ConfigureAwait(false);
                return measured;
            }
        }

        _body.Table(["workload", "telemetry", "responses/s", "against off", "ack p50 ms", "ack p99 ms", "server CPU ms / 1,000 responses"], rows);
        _body.Paragraph(
            $"During the scenario the sink got {M.Count(_otlpSink.Requests - requestsBefore)} OTLP exports ({M.Count((_otlpSink.Bytes - bytesBefore) / 1024.0)} KiB) " +
            $"and the scrape endpoint was read {scrapes} times.");

        async Task<long> ScrapeAsync(CancellationToken stop)
        {
            var count = 0L;
            try
            {
                while (true)
                {
                    (await http.GetAsync(scrapeUri, stop).ConfigureAwait(false)).EnsureSuccessStatusCode();
                    count++;
                    await Task.Delay(ScrapeInterval, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return count;
            }
        }
    }
}
