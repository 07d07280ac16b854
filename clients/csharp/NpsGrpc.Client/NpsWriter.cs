using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Client;

/// <summary>
/// Submits survey responses exactly once over one SubmitResponses stream: buffers them into numbered batches (by
/// count and by time), pipelines a bounded window of batches, and after a dropped connection or UNAVAILABLE
/// reconnects with backoff and re-sends every unacknowledged batch with its same sequence, so the server counts
/// each batch once. Other failures (INVALID_ARGUMENT, UNAUTHENTICATED, ...) end the writer and are thrown by
/// <see cref="FlushAsync"/>, <see cref="DisposeAsync"/> and later calls of <see cref="AddAsync(SurveyResponse, CancellationToken)"/>.
/// </summary>
/// <remarks>Thread-safe: several tasks may add at once. Dispose it (or <see cref="CloseAsync"/>) to send what is buffered.</remarks>
public sealed class NpsWriter : IAsyncDisposable
{
    private readonly NpsService.NpsServiceClient _client;
    private readonly NpsWriterOptions _options;
    private readonly Channel<Item> _input;
    private readonly Channel<Batch> _sealed;
    // Owned by the sending loop alone: sent batches in sequence order, oldest first, until their ack arrives.
    private readonly Queue<Batch> _unacked = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _batching;
    private readonly Task _sending;
    private long _nextSequence;
    private long _accepted, _rejected, _duplicates, _acknowledged, _reconnects, _resent;
    private int _inFlight;
    private Exception? _fault;
    private int _faultObserved;
    private int _closed;

    /// <summary>Starts a writer on <paramref name="client"/>; the stream opens with the first batch.</summary>
    public NpsWriter(NpsService.NpsServiceClient client, NpsWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new NpsWriterOptions();
        _options.Validate();
        _client = client;
        WriterId = _options.WriterId ?? "csharp-" + Guid.NewGuid().ToString("N");
        _nextSequence = _options.InitialSequence ?? (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        // Bounded so that a producer faster than the server waits (asynchronously) instead of buffering without end.
        _input = Channel.CreateBounded<Item>(new BoundedChannelOptions(_options.MaxBatchSize) { SingleReader = true });
        _sealed = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleWriter = true });
        _batching = Task.Run(BatchAsync);
        _sending = Task.Run(SendAsync);
    }

    /// <summary>Raised for each response the server rejected (not counted), on the writer's own loop: keep handlers short.</summary>
    public event EventHandler<NpsRejectedEventArgs>? Rejected;

    /// <summary>The writer id every batch carries.</summary>
    public string WriterId { get; }

    /// <summary>Responses the server acknowledged as valid (counted, replacing an earlier answer, or superseded).</summary>
    public long AcceptedCount => Interlocked.Read(ref _accepted);

    /// <summary>Responses the server rejected as invalid.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Acknowledged batches the server had already applied (a re-sent batch whose first ack was lost).</summary>
    public long DuplicateBatches => Interlocked.Read(ref _duplicates);

    /// <summary>Batches acknowledged so far.</summary>
    public long AcknowledgedBatches => Interlocked.Read(ref _acknowledged);

    /// <summary>Streams opened again after a retriable failure.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Batches sent again on a new stream because their ack had not arrived.</summary>
    public long ResentBatches => Interlocked.Read(ref _resent);

    /// <summary>Batches sent and not yet acknowledged.</summary>
    public int InFlightBatches => Volatile.Read(ref _inFlight);

    /// <summary>Buffers one response; waits (asynchronously) only when the buffers are full.</summary>
    public async ValueTask AddAsync(SurveyResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ThrowIfFailed();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        try
        {
            await _input.Writer.WriteAsync(new Item(response, null), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw new ObjectDisposedException(nameof(NpsWriter));
        }
    }

    /// <summary>Buffers one response for <paramref name="productId"/> with <paramref name="score"/> and optional segment labels.</summary>
    public ValueTask AddAsync(
        string productId, int score, IReadOnlyDictionary<string, string>? segments = null, CancellationToken cancellationToken = default) =>
        AddAsync(productId, score, segments, comment: null, languageCode: null, cancellationToken);

    /// <summary>
    /// Buffers one response with the customer's <paramref name="comment"/> (null or empty: none) written in
    /// <paramref name="languageCode"/> (a BCP 47 tag such as "fr"; null or empty: the server's default).
    /// </summary>
    public ValueTask AddAsync(
        string productId,
        int score,
        IReadOnlyDictionary<string, string>? segments,
        string? comment,
        string? languageCode = null,
        CancellationToken cancellationToken = default)
    {
        var response = new SurveyResponse { ProductId = productId, Score = score, Comment = comment ?? "", LanguageCode = languageCode ?? "" };
        foreach (var (key, value) in segments ?? new Dictionary<string, string>())
        {
            response.Segments[key] = value;
        }

        return AddAsync(response, cancellationToken);
    }

    /// <summary>
    /// Sends what is buffered and waits until every response added before this call is acknowledged. Throws the
    /// writer's failure (an <see cref="RpcException"/> with a non-retriable status) if it failed.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _input.Writer.WriteAsync(new Item(null, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw new ObjectDisposedException(nameof(NpsWriter));
        }

        var done = await Task.WhenAny(flushed.Task, _failed.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (done != flushed.Task)
        {
            ThrowIfFailed();
        }
    }

    /// <summary>
    /// Flushes, then ends the stream. Cancelling gives up: whatever is not acknowledged yet is abandoned (it may or may
    /// not have been counted; re-sending it later with the same writer id and a new writer is safe only for the
    /// acknowledged part). Throws the writer's failure unless FlushAsync already did.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _closed, 1);
        _input.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_batching, _sending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up and hears it now; the abandoned loops end on their own without a second report.
            Interlocked.Exchange(ref _faultObserved, 1);
            await _abort.CancelAsync().ConfigureAwait(false);
            throw;
        }

        if (_fault is not null && Interlocked.Exchange(ref _faultObserved, 1) == 0)
        {
            ExceptionDispatchInfo.Throw(_fault);
        }
    }

    /// <summary>Same as <see cref="CloseAsync"/> without cancellation: waits until everything is acknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _abort.Dispose();
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _fault) is { } fault)
        {
            Interlocked.Exchange(ref _faultObserved, 1);
            ExceptionDispatchInfo.Throw(fault);
        }
    }

    // Turns the stream of added responses into sealed batches: full ones at once, partial ones after MaxBatchDelay
    // or at a flush. Sequences are assigned here, so they increase in the order the batches will be sent.
    private async Task BatchAsync()
    {
        var reader = _input.Reader;
        var pending = new List<SurveyResponse>(_options.MaxBatchSize);
        var deadline = 0L;
        Task<bool>? more = null;
        try
        {
            while (true)
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Response is { } response)
                    {
                        if (pending.Count == 0)
                        {
                            deadline = Environment.TickCount64 + (long)_options.MaxBatchDelay.TotalMilliseconds;
                        }

                        pending.Add(response);
                        if (pending.Count == _options.MaxBatchSize)
                        {
                            await SealAsync(pending, null).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        await SealAsync(pending, item.Flushed).ConfigureAwait(false);
                    }
                }

                more ??= reader.WaitToReadAsync(_abort.Token).AsTask();
                if (pending.Count > 0)
                {
                    var wait = deadline - Environment.TickCount64;
                    if (wait <= 0 || await Task.WhenAny(more, Task.Delay(TimeSpan.FromMilliseconds(wait), _abort.Token)).ConfigureAwait(false) != more)
                    {
                        await SealAsync(pending, null).ConfigureAwait(false);
                        continue;
                    }
                }

                if (!await more.ConfigureAwait(false))
                {
                    break;
                }

                more = null;
            }

            await SealAsync(pending, null).ConfigureAwait(false);
            _sealed.Writer.TryComplete();
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            // The sending loop failed or the writer was abandoned; it reports why.
            _sealed.Writer.TryComplete();
        }
    }

    private async Task SealAsync(List<SurveyResponse> pending, TaskCompletionSource? flushed)
    {
        if (pending.Count == 0 && flushed is null)
        {
            return;
        }

        SubmitResponsesRequest? request = null;
        if (pending.Count > 0)
        {
            request = new SubmitResponsesRequest { WriterId = WriterId, Sequence = _nextSequence++ };
            request.Responses.AddRange(pending);
            pending.Clear();
        }

        await _sealed.Writer.WriteAsync(new Batch(request, flushed), _abort.Token).ConfigureAwait(false);
    }

    // Owns the stream: opens it when there is something to send, reopens it after retriable failures, and records
    // a non-retriable failure as the writer's fault.
    private async Task SendAsync()
    {
        var backoff = _options.MinReconnectDelay;
        try
        {
            while (true)
            {
                if (_unacked.Count == 0 && !await TakeFlushMarkersWhileIdleAsync().ConfigureAwait(false))
                {
                    return;
                }

                var acksBefore = AcknowledgedBatches;
                try
                {
                    await StreamAsync().ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (IsRetriable(e))
                {
                    // Progress on the stream that just failed means the server is fine again: start the backoff over.
                    if (AcknowledgedBatches > acksBefore)
                    {
                        backoff = _options.MinReconnectDelay;
                    }

                    var jittered = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                    await Task.Delay(jittered, _abort.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _reconnects);
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    // With nothing in flight, a flush marker needs no stream: complete it at once. True when a batch waits to be sent.
    private async Task<bool> TakeFlushMarkersWhileIdleAsync()
    {
        while (await _sealed.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
        {
            if (!_sealed.Reader.TryPeek(out var next) || next.Request is not null)
            {
                return true;
            }

            _sealed.Reader.TryRead(out _);
            next.Complete();
        }

        return false;
    }

    // One SubmitResponses stream: re-sends the unacknowledged batches first, then sends new ones while the window
    // has room and matches acks as they come. Returns once the input is finished and everything is acknowledged.
    private async Task StreamAsync()
    {
        using var call = _client.SubmitResponses(cancellationToken: _abort.Token);
        var acks = call.ResponseStream;
        // The read stays pending across loop turns, so acks are taken as soon as they arrive, even while writing.
        var nextAck = acks.MoveNext();
        foreach (var batch in _unacked)
        {
            await WriteAsync(call, batch.Request!, nextAck).ConfigureAwait(false);
            Interlocked.Increment(ref _resent);
        }

        Task<bool>? nextBatch = null;
        var inputDone = false;
        while (true)
        {
            if (inputDone && _unacked.Count == 0)
            {
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                if (await nextAck.ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The server sent an acknowledgement (sequence {acks.Current.Sequence}) for no outstanding batch.");
                }

                return;
            }

            if (!inputDone && nextBatch is null && _unacked.Count < _options.MaxInFlightBatches)
            {
                nextBatch = _sealed.Reader.WaitToReadAsync(_abort.Token).AsTask();
            }

            var ready = nextBatch is null ? nextAck : await Task.WhenAny(nextAck, nextBatch).ConfigureAwait(false);
            if (ready == nextAck)
            {
                if (!await nextAck.ConfigureAwait(false))
                {
                    throw new StreamEndedException();
                }

                Acknowledge(acks.Current);
                nextAck = acks.MoveNext();
                continue;
            }

            nextBatch = null;
            if (!await ready.ConfigureAwait(false))
            {
                inputDone = true;
                continue;
            }

            while (_unacked.Count < _options.MaxInFlightBatches && _sealed.Reader.TryRead(out var batch))
            {
                if (batch.Request is null)
                {
                    // A flush is done when the last batch before it is acknowledged.
                    if (_unacked.Count == 0)
                    {
                        batch.Complete();
                    }
                    else
                    {
                        _unacked.Last().Then(batch);
                    }

                    continue;
                }

                _unacked.Enqueue(batch);
                Volatile.Write(ref _inFlight, _unacked.Count);
                await WriteAsync(call, batch.Request, nextAck).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteAsync(
        AsyncDuplexStreamingCall<SubmitResponsesRequest, SubmitResponsesResponse> call, SubmitResponsesRequest request, Task<bool> nextAck)
    {
        try
        {
            await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // Grpc.Net.Client refuses writes once the server has ended the call with OK: an unexpected end.
            throw new StreamEndedException(e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // The server may end the call while a write is on its way (it refused the API key, it is shutting down):
            // the write then fails as cancelled unless the call's status has already arrived, and the server's own
            // status comes with the response, which the pending read is waiting for. That status is the one to act on.
            await Task.WhenAny(nextAck, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            if (nextAck.IsFaulted && nextAck.Exception!.InnerException is RpcException status)
            {
                throw status;
            }

            throw;
        }
    }

    private void Acknowledge(SubmitResponsesResponse ack)
    {
        if (!_unacked.TryPeek(out var batch) || batch.Request!.Sequence != ack.Sequence)
        {
            throw new InvalidOperationException(
                $"The server acknowledged sequence {ack.Sequence} while {(batch is null ? "no batch" : $"sequence {batch.Request!.Sequence}")} was expected.");
        }

        _unacked.Dequeue();
        Volatile.Write(ref _inFlight, _unacked.Count);
        Interlocked.Add(ref _accepted, ack.AcceptedCount);
        Interlocked.Add(ref _rejected, ack.Rejected.Count);
        if (ack.Duplicate)
        {
            Interlocked.Increment(ref _duplicates);
        }

        Interlocked.Increment(ref _acknowledged);
        foreach (var rejection in ack.Rejected)
        {
            Rejected?.Invoke(this, new NpsRejectedEventArgs(batch.Request.Responses[rejection.Index], ack.Sequence, rejection));
        }

        batch.Complete();
    }

    private bool IsRetriable(Exception e) =>
        !_abort.IsCancellationRequested && (e is StreamEndedException || NpsErrors.IsTransient(e));

    private void Fail(Exception e)
    {
        var fault = _abort.IsCancellationRequested
            ? new OperationCanceledException("The writer was closed before everything was acknowledged.", e)
            : e;
        Volatile.Write(ref _fault, fault);
        _failed.TrySetException(fault);
        // Nobody may be waiting, and the fault is thrown from ThrowIfFailed/CloseAsync anyway.
        _ = _failed.Task.Exception;
        _input.Writer.TryComplete();
        _sealed.Writer.TryComplete();
        _abort.Cancel();
    }

    private readonly record struct Item(SurveyResponse? Response, TaskCompletionSource? Flushed);

    // A sealed batch (Request null for a bare flush marker) and the flushes waiting for its ack.
    private sealed class Batch(SubmitResponsesRequest? request, TaskCompletionSource? flushed)
    {
        private List<Batch>? _then;

        public SubmitResponsesRequest? Request { get; } = request;

        public void Then(Batch marker) => (_then ??= []).Add(marker);

        public void Complete()
        {
            flushed?.TrySetResult();
            foreach (var marker in _then ?? [])
            {
                marker.Complete();
            }
        }
    }

    private sealed class StreamEndedException(Exception? inner = null)
        : Exception("The SubmitResponses stream ended before every batch was acknowledged.", inner);
}
