using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Bench.Measure;
using NpsGrpc.Bench.Workloads;
using NpsGrpc.V1;
using M = NpsGrpc.Bench.Report.Markdown;

namespace NpsGrpc.Bench;

/// <summary>Scenario 8: how soon a follow-up worker receives a detractor after its batch was acknowledged.</summary>
internal sealed partial class BenchRun
{
    private const int TracedBatchSize = 100;

    private async Task FollowUpDeliveryAsync()
    {
        var cell = _sizes.Cell;
        var settings = new (string Name, TimeSpan Gap, TimeSpan Duration, bool UnderLoad)[]
        {
            ("steady: a traced batch every 20 ms", TimeSpan.FromMilliseconds(20), cell, false),
            ("steady, during scenario 2's mix at 4 streams", TimeSpan.FromMilliseconds(20), cell, true),
            ("sparse: a traced batch every second (the worker's polls back off)", TimeSpan.FromSeconds(1), cell * 4, false),
        };

        _body.Heading(2, "8. Follow-up delivery latency");
        _body.Paragraph(
            $"Workload: one `StreamFollowUps` worker (its own group, `max_outstanding` 100) on one product, acknowledging each delivery as it comes; one writer " +
            $"sends batches of {TracedBatchSize} to that product, one at a time, each with {TracedBatchSize - 1} promoters (not recorded) and one detractor whose " +
            "comment names its batch. Latency runs from the writer's receipt of the batch's ack to the worker's receipt of the detractor's delivery " +
            "(one process, one clock; it can be negative when a poll delivers before the ack reaches the writer). The server polls each worker's products " +
            "every 50 ms while deliveries come and backs off to 500 ms while none do, so a sparse stream of records waits up to 500 ms.");

        var rows = new List<string[]>();
        var index = 0;
        foreach (var (name, gap, duration, underLoad) in settings)
        {
            Log($"scenario 8: {name}");
            var product = $"fu-{_runId}-{index++}";
            var loadTask = underLoad
                ? _ingest.RunAsync($"s8-load-{index}", 4, Workload.RealisticMix("s8-", _sizes.MixProducts, 1000, _sizes.DistinctBatches), duration + TimeSpan.FromSeconds(2))
                : null;
            var (latencies, traced, delivered) = await TraceDeliveriesAsync(product, gap, duration).ConfigureAwait(false);
            if (loadTask is not null)
            {
                await loadTask.ConfigureAwait(false);
            }

            rows.Add(Row(name, M.Count(traced), M.Count(delivered), M.Ms(latencies.Milliseconds(50)), M.Ms(latencies.Milliseconds(99)), M.Ms(latencies.Milliseconds(100))));
            if (index == 1)
            {
                _headlines.Add(("Scenario 8: follow-up delivery, ack of the batch to the worker", $"p50 {M.Ms(latencies.Milliseconds(50))} ms, p99 {M.Ms(latencies.Milliseconds(99))} ms (steady)"));
            }
        }

        _body.Table(["setting", "detractors acknowledged to the writer", "delivered to the worker", "p50 ms", "p99 ms", "max ms"], rows);
    }

    /// <summary>
    /// Writes traced batches for <paramref name="duration"/>, one every <paramref name="gap"/>, while a worker receives and
    /// acknowledges their detractors; returns the latencies of those delivered and how many were traced and delivered.
    /// </summary>
    private async Task<(Latencies Latencies, int Traced, int Delivered)> TraceDeliveriesAsync(string product, TimeSpan gap, TimeSpan duration)
    {
        var acked = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        using var watch = _client.StreamFollowUps(
            new StreamFollowUpsRequest
            {
                Group = $"bench-{_runId}",
                Consumer = "worker-1",
                ProductIds = { product },
                MaxOutstanding = 100,
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
            },
            cancellationToken: stop.Token);
        var worker = Task.Run(async () =>
        {
            try
            {
                while (await watch.ResponseStream.MoveNext(stop.Token).ConfigureAwait(false))
                {
                    var now = Stopwatch.GetTimestamp();
                    var done = new AcknowledgeFollowUpsRequest();
                    foreach (var delivery in watch.ResponseStream.Current.Deliveries)
                    {
                        received.TryAdd(delivery.Record.Comment, now);
                        done.Acknowledgements.Add(new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted });
                    }

                    await _client.AcknowledgeFollowUpsAsync(done, cancellationToken: stop.Token).ResponseAsync.ConfigureAwait(false);
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || (stop.IsCancellationRequested && WatcherSet.AbortedByCancellation(e)))
            {
            }
            catch (OperationCanceledException)
            {
            }
        });

        using (var writer = _client.SubmitResponses())
        {
            var writerId = $"bench-{_runId}-{product}";
            var started = Stopwatch.GetTimestamp();
            for (long sequence = 1; Stopwatch.GetElapsedTime(started) < duration; sequence++)
            {
                var request = new SubmitResponsesRequest { WriterId = writerId, Sequence = sequence };
                for (var i = 1; i < TracedBatchSize; i++)
                {
                    request.Responses.Add(new SurveyResponse { ProductId = product, Score = 9 + (i % 2) });
                }

                var trace = $"batch {sequence.ToString(CultureInfo.InvariantCulture)} was slow to sync";
                request.Responses.Add(new SurveyResponse { ProductId = product, Score = (int)(sequence % 7), Comment = trace });
                await writer.RequestStream.WriteAsync(request).ConfigureAwait(false);
                if (!await writer.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false) || writer.ResponseStream.Current.AcceptedCount != TracedBatchSize)
                {
                    throw new InvalidOperationException($"Traced batch {sequence} of {product} was not accepted whole.");
                }

                acked[trace] = Stopwatch.GetTimestamp();
                await Task.Delay(gap).ConfigureAwait(false);
            }

            await writer.RequestStream.CompleteAsync().ConfigureAwait(false);
            while (await writer.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
            }
        }

        // The last records get the longest pause the server's polls take to arrive.
        var settle = Stopwatch.GetTimestamp();
        while (received.Count < acked.Count && Stopwatch.GetElapsedTime(settle) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await worker.ConfigureAwait(false);
        var latencies = new Latencies();
        latencies.AddRange([.. acked.Where(pair => received.ContainsKey(pair.Key)).Select(pair => received[pair.Key] - pair.Value)]);
        return (latencies, acked.Count, acked.Keys.Count(received.ContainsKey));
    }
}
