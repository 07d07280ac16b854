using Grpc.Core;
using NpsGrpc.Server.Services;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Ingestion;

/// <summary>
/// The flow control of one SubmitResponses stream: batches are read and prepared while earlier ones are with the
/// committer (merged there with those of every other stream), and acknowledged in order. Each batch itself is
/// <see cref="BatchIngestion"/>'s, as SubmitResponseBatch's is.
/// </summary>
public sealed class SubmissionPipeline(BatchIngestion batches, IHostApplicationLifetime lifetime, ILogger<SubmissionPipeline> logger)
{
    /// <summary>
    /// Batches of one stream being applied at once, each behind the same writer's earlier ones (see ApplyAsync). The
    /// committer keeps each product's shares in order and reads respondents' earlier answers only when it is their
    /// product's turn, so batches with respondent answers pipeline like the others.
    /// </summary>
    internal const int MaxBatchesInFlight = 8;

    public async Task RunAsync(
        IAsyncStreamReader<SubmitResponsesRequest> requestStream,
        IServerStreamWriter<SubmitResponsesResponse> responseStream,
        CancellationToken callCancelled)
    {
        // Shutdown stops the reading of new batches only: a batch already read is applied and acknowledged first,
        // and the client re-sends anything unacknowledged to another instance.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, lifetime.ApplicationStopping);
        var stream = new StreamState();
        var inFlight = new Queue<Task<SubmitResponsesResponse>>();
        var next = ReadNextAsync(requestStream, 0, reading.Token);
        try
        {
            // Up to MaxBatchesInFlight batches are with the committer at once while the next request is read and
            // folded; acks leave in order. A malformed request, a cancelled call or shutdown ends the stream only
            // after every batch read before it is applied and acknowledged.
            while (true)
            {
                if (inFlight.Count > 0 && (inFlight.Peek().IsCompleted || inFlight.Count >= MaxBatchesInFlight || next.IsFaulted || next.IsCanceled))
                {
                    await AcknowledgeOldestAsync(inFlight, responseStream, stream).ConfigureAwait(false);
                    continue;
                }

                if (inFlight.Count > 0 && !next.IsCompleted)
                {
                    await Task.WhenAny(next, inFlight.Peek()).ConfigureAwait(false);
                    continue;
                }

                if (await next.ConfigureAwait(false) is not { } batch)
                {
                    break;
                }

                inFlight.Enqueue(ApplyAsync(batch, stream));
                next = ReadNextAsync(requestStream, stream.Acked, reading.Token);
            }

            await DrainAsync(inFlight, responseStream, stream).ConfigureAwait(false);
        }
        catch
        {
            // The stream ends: stop reading, and let what is already in Redis finish before the call goes.
            await reading.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll([.. inFlight, next]).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task AcknowledgeOldestAsync(
        Queue<Task<SubmitResponsesResponse>> inFlight, IServerStreamWriter<SubmitResponsesResponse> responseStream, StreamState stream)
    {
        var ack = await inFlight.Peek().ConfigureAwait(false);
        _ = inFlight.Dequeue();
        await responseStream.WriteAsync(ack, CancellationToken.None).ConfigureAwait(false);
        stream.Acked++;
    }

    private static async Task DrainAsync(
        Queue<Task<SubmitResponsesResponse>> inFlight, IServerStreamWriter<SubmitResponsesResponse> responseStream, StreamState stream)
    {
        while (inFlight.Count > 0)
        {
            await AcknowledgeOldestAsync(inFlight, responseStream, stream).ConfigureAwait(false);
        }
    }

    private async Task<bool> NextBatchAsync(IAsyncStreamReader<SubmitResponsesRequest> requestStream, int acked, CancellationToken reading)
    {
        try
        {
            return await requestStream.MoveNext(reading).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            ServerLog.StreamEndedForShutdown(logger, acked);
            throw ErrorStatus.ShuttingDown();
        }
    }

    /// <summary>Reads the next batch and validates and folds it; null when the client has sent its last batch.</summary>
    private async Task<PreparedBatch?> ReadNextAsync(IAsyncStreamReader<SubmitResponsesRequest> requestStream, int acked, CancellationToken reading) =>
        await NextBatchAsync(requestStream, acked, reading).ConfigureAwait(false) ? batches.Prepare(requestStream.Current) : null;

    private async Task<SubmitResponsesResponse> ApplyAsync(PreparedBatch prepared, StreamState stream)
    {
        // While the writer's previous batch with a product is still in flight, this batch's script for that product
        // must find it applied, or it refuses: a later sequence never overtakes an earlier one that failed.
        long[]? predecessors = null;
        var mark = new SentBatch(prepared.Sequence);
        if (prepared.Stamp is not null)
        {
            var products = prepared.Batch.Products;
            predecessors = new long[products.Count];
            for (var i = 0; i < predecessors.Length; i++)
            {
                var key = (prepared.WriterId, products[i].ProductId);
                predecessors[i] = stream.LastSent.TryGetValue(key, out var previous) && !previous.Applied ? previous.Sequence : 0;
                stream.LastSent[key] = mark;
            }
        }

        var ack = await batches.ApplyAsync(prepared, predecessors).ConfigureAwait(false);
        mark.Applied = true;
        return ack;
    }

    /// <summary>
    /// What one SubmitResponses stream remembers: how many batches it acknowledged, and per writer and product the
    /// last batch it sent to the store.
    /// </summary>
    private sealed class StreamState
    {
        public int Acked { get; set; }

        public Dictionary<(string Writer, string Product), SentBatch> LastSent { get; } = [];
    }

    /// <summary>A batch sent to the store; <see cref="Applied"/> once every product of it is.</summary>
    private sealed class SentBatch(long sequence)
    {
        private volatile bool _applied;

        public long Sequence { get; } = sequence;

        public bool Applied
        {
            get => _applied;
            set => _applied = value;
        }
    }
}
