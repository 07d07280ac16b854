using System.Diagnostics;
using Grpc.Core;
using NpsGrpc.Bench.Measure;

namespace NpsGrpc.Bench.Load;

/// <summary>What a set of SubmitResponses streams achieved.</summary>
internal sealed record IngestResult(long Responses, long Batches, double Seconds, Latencies AckLatency, long Duplicates, long Rejected)
{
    public double ResponsesPerSecond => Responses / Seconds;
}

/// <summary>
/// Drives concurrent SubmitResponses streams, exactly-once on (each stream is a writer numbering its batches).
/// Each stream keeps several batches in flight: the server acknowledges in order, so the ack for sequence n
/// closes the oldest open send. Latency is from the send of a batch to its ack.
/// </summary>
internal sealed class IngestRunner(CallInvoker invoker, string runId)
{
    /// <summary>Batches in flight per stream.</summary>
    public int Window { get; init; } = 8;

    /// <summary>
    /// Runs <paramref name="streams"/> streams for <paramref name="duration"/> (or until <paramref name="maxBatchesPerStream"/>
    /// batches each), cycling through <paramref name="batches"/>. Stream s of S starts at batch s * count / S, so the
    /// streams send different batches at the same time: the same batch sent by two streams at once would be every one
    /// of its respondents answering twice within a second.
    /// </summary>
    public async Task<IngestResult> RunAsync(string name, int streams, IReadOnlyList<EncodedResponses> batches, TimeSpan duration, long maxBatchesPerStream = long.MaxValue)
    {
        var latencies = new Latencies();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, streams).Select(stream =>
            RunStreamAsync($"bench-{runId}-{name}-{stream}", batches, stream * batches.Count / streams, deadline, maxBatchesPerStream, latencies))).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new IngestResult(
            results.Sum(r => r.Responses), results.Sum(r => r.Batches), seconds, latencies, results.Sum(r => r.Duplicates), results.Sum(r => r.Rejected));
    }

    private async Task<(long Responses, long Batches, long Duplicates, long Rejected)> RunStreamAsync(
        string writerId, IReadOnlyList<EncodedResponses> batches, int offset, long deadline, long maxBatches, Latencies latencies)
    {
        var writer = PrebuiltBatch.EncodeWriter(writerId);
        using var call = invoker.AsyncDuplexStreamingCall(PrebuiltBatch.SubmitMethod, null, default);
        using var window = new SemaphoreSlim(Window);
        var sent = new Queue<long>();
        var sentGate = new Lock();
        var ticks = new List<long>(4096);
        long responses = 0, acked = 0, duplicates = 0, rejected = 0;

        var reading = Task.Run(async () =>
        {
            // When the stream fails, the sender must not wait for acks that will never come.
            using var unblock = new Finally(() => window.Release(Window));
            while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                var ack = call.ResponseStream.Current;
                long sentAt;
                lock (sentGate)
                {
                    sentAt = sent.Dequeue();
                }

                ticks.Add(Stopwatch.GetTimestamp() - sentAt);
                acked++;
                if (ack.Sequence != acked)
                {
                    throw new InvalidOperationException($"{writerId}: ack for sequence {ack.Sequence} arrived where {acked} was due.");
                }

                duplicates += ack.Duplicate ? 1 : 0;
                rejected += ack.Rejected.Count;
                responses += ack.AcceptedCount;
                window.Release();
            }
        });

        long sequence = 0;
        while (sequence < maxBatches && Stopwatch.GetTimestamp() < deadline && !reading.IsCompleted)
        {
            await window.WaitAsync().ConfigureAwait(false);
            sequence++;
            lock (sentGate)
            {
                sent.Enqueue(Stopwatch.GetTimestamp());
            }

            var responsesOf = batches[(int)((offset + sequence - 1) % batches.Count)];
            await call.RequestStream.WriteAsync(new PrebuiltBatch(writer, sequence, responsesOf)).ConfigureAwait(false);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        await reading.ConfigureAwait(false);
        latencies.AddRange(ticks);
        return (responses, acked, duplicates, rejected);
    }
}

/// <summary>Runs an action on dispose.</summary>
internal sealed class Finally(Action action) : IDisposable
{
    public void Dispose() => action();
}
