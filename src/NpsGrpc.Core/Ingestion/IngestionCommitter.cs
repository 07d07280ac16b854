using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;

namespace NpsGrpc.Core.Ingestion;

/// <summary>How much one flush of a product's lane may carry (the first share waiting always goes, whatever its size).</summary>
public sealed record CommitBounds
{
    public static readonly CommitBounds Default = new();

    /// <summary>Shares (batches' parts for the product) in one flush.</summary>
    public int MaxShares { get; init; } = 128;

    /// <summary>Tallies the shares name (<see cref="ProductIncrements.TallyBound"/>), added up before merging: bounds the script's arguments.</summary>
    public int MaxTallies { get; init; } = 16384;

    /// <summary>Records the shares may write: bounds the script's time in Redis, which runs nothing else meanwhile.</summary>
    public int MaxRecords { get; init; } = 4096;

    /// <summary>Respondent answers in one flush (each is a state read and a hash write).</summary>
    public int MaxRespondentAnswers { get; init; } = 1024;

    /// <summary>
    /// Flushes this instance has in the store at once, whatever their products. Enough to keep the store busy while
    /// answers travel back; more would only split the work into smaller scripts, since Redis runs them one at a time.
    /// </summary>
    public int MaxFlushesInFlight { get; init; } = 32;
}

/// <summary>
/// Group commit: every batch being applied on this server instance, from every stream, goes through here, and the
/// shares waiting for the same product are applied together by one script.
/// </summary>
/// <remarks>
/// Each product has a lane holding at most one flush in the store, and the instance has at most
/// <see cref="CommitBounds.MaxFlushesInFlight"/> flushes in the store in all. A share reaching an idle lane is flushed
/// at once if a flush may start, so a lone writer waits for nobody; otherwise its lane joins the lanes ready to flush,
/// in the order they became ready, and gathers every share that reaches it until a flush ends and its turn comes. The
/// window is therefore the store's own latency, with no timer: it is nothing when the store is idle and grows with its
/// load, and a product's shares from every stream fold into one script instead of each going alone.
/// Lanes keep the order shares arrive in, so a writer's batches reach each product in sequence, and a respondent
/// answers at most once per flush (a share whose respondent is already in the flush waits for the next one).
/// What is held is bounded by the batches callers have in flight (each stream bounds its own), and what one flush
/// carries by <see cref="CommitBounds"/>.
/// </remarks>
/// <param name="metrics">Where each batch's apply time and each flush's shares are recorded; none when null.</param>
public sealed class IngestionCommitter(IScoreStore store, CommitBounds? bounds = null, NpsMetrics? metrics = null)
{
    private readonly CommitBounds _bounds = bounds ?? CommitBounds.Default;
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    // Guarded by _lanes' lock, like the lanes' own state.
    private readonly Queue<Lane> _ready = new();
    private int _flushesInFlight;

    /// <summary>Flushes in the store now, at most <see cref="CommitBounds.MaxFlushesInFlight"/>.</summary>
    public int FlushesInFlight
    {
        get
        {
            lock (_lanes)
            {
                return _flushesInFlight;
            }
        }
    }

    /// <summary>Lanes with a flush in the store or shares waiting: an idle lane is dropped.</summary>
    public int ActiveLanes
    {
        get
        {
            lock (_lanes)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>
    /// Applies a folded batch, its products' shares merged with those of the other batches waiting for the same
    /// products. Each product is applied atomically and at most once per writer sequence; products are independent, so
    /// after a failure a retry with the same stamp completes exactly what was missing. <paramref name="predecessors"/>
    /// (with a writer; one per product, 0 for none) is the writer's sequence that must already have been applied to the
    /// product: a product whose predecessor is missing is not applied and the call fails, so batches of one writer can
    /// be in flight together without a later one overtaking a failed one.
    /// </summary>
    /// <remarks>The shares join their lanes before this returns, so calls made one after another keep their order in every lane.</remarks>
    /// <exception cref="ScoreStoreUnavailableException">
    /// The store could not be reached, or a predecessor was not applied; some products may have been applied.
    /// </exception>
    /// <exception cref="ScoreStoreConflictException">
    /// Other writers kept replacing answers of the same respondents; some products may have been applied.
    /// </exception>
    public Task<ApplyOutcome> ApplyAsync(WriterStamp? writer, IReadOnlyList<ProductIncrements> products, IReadOnlyList<long>? predecessors)
    {
        ArgumentNullException.ThrowIfNull(products);
        if (products.Count == 0)
        {
            return Task.FromResult(default(ApplyOutcome));
        }

        var started = metrics?.ApplyStarted() ?? 0;
        var shares = new Task<ShareOutcome>[products.Count];
        for (var i = 0; i < products.Count; i++)
        {
            shares[i] = Commit(new ProductShare(writer, products[i], predecessors?[i] ?? 0));
        }

        return CompleteAsync(writer, products, shares, started);
    }

    private async Task<ApplyOutcome> CompleteAsync(WriterStamp? writer, IReadOnlyList<ProductIncrements> products, Task<ShareOutcome>[] shares, long started)
    {
        try
        {
            try
            {
                await Task.WhenAll(shares).ConfigureAwait(false);
            }
            catch
            {
                // The first failure of a product, as the store's own ApplyAsync gives it.
                throw shares.First(share => share.IsFaulted).Exception!.InnerException!;
            }

            await store.AwaitReplicasAsync([.. products.Select(product => product.ProductId)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            metrics?.BatchApplied(started, e);
            throw;
        }

        metrics?.BatchApplied(started);
        return ApplyOutcome.FromShares(writer, products, [.. shares.Select(share => share.Result)]);
    }

    private Task<ShareOutcome> Commit(ProductShare share)
    {
        var waiting = new WaitingShare(share);
        List<WaitingShare>? flush = null;
        Lane? lane;
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(share.Increments.ProductId, out lane))
            {
                lane = new Lane(share.Increments.ProductId);
                _lanes.Add(lane.ProductId, lane);
            }

            lane.Waiting.Enqueue(waiting);
            if (lane.State == LaneState.Idle)
            {
                if (_flushesInFlight < _bounds.MaxFlushesInFlight)
                {
                    _flushesInFlight++;
                    lane.State = LaneState.Flushing;
                    flush = TakeFlush(lane);
                }
                else
                {
                    lane.State = LaneState.Ready;
                    _ready.Enqueue(lane);
                }
            }
        }

        if (flush is not null)
        {
            _ = RunAsync(lane, flush);
        }

        return waiting.Completion.Task;
    }

    /// <summary>
    /// Flushes, then hands the flush's place to the lane ready longest (this one again, behind the others, if shares
    /// gathered meanwhile), until no lane is ready.
    /// </summary>
    private async Task RunAsync(Lane lane, List<WaitingShare> flush)
    {
        while (true)
        {
            metrics?.FlushSent(flush.Count);
            try
            {
                var outcomes = await store.ApplySharesAsync(lane.ProductId, [.. flush.Select(waiting => waiting.Share)], CancellationToken.None)
                    .ConfigureAwait(false);
                for (var i = 0; i < flush.Count; i++)
                {
                    flush[i].Completion.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var waiting in flush)
                {
                    waiting.Completion.TrySetException(e);
                }
            }

            lock (_lanes)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.State = LaneState.Idle;
                    _lanes.Remove(lane.ProductId);
                }
                else
                {
                    lane.State = LaneState.Ready;
                    _ready.Enqueue(lane);
                }

                if (!_ready.TryDequeue(out var next))
                {
                    _flushesInFlight--;
                    return;
                }

                lane = next;
                lane.State = LaneState.Flushing;
                flush = TakeFlush(lane);
            }
        }
    }

    /// <summary>The shares at the head of the lane that one flush may carry: at least one, then while within the bounds.</summary>
    private List<WaitingShare> TakeFlush(Lane lane)
    {
        var flush = new List<WaitingShare> { lane.Waiting.Dequeue() };
        var first = flush[0].Share.Increments;
        var tallies = first.TallyBound;
        var records = RecordsOf(first);
        // Distinct within a flush, so their count is the flush's respondent answers.
        var respondents = new HashSet<string>(first.Respondents, StringComparer.Ordinal);
        while (flush.Count < _bounds.MaxShares && lane.Waiting.TryPeek(out var next))
        {
            var increments = next.Share.Increments;
            if (tallies + increments.TallyBound > _bounds.MaxTallies
                || records + RecordsOf(increments) > _bounds.MaxRecords
                || respondents.Count + increments.Respondents.Count > _bounds.MaxRespondentAnswers
                || increments.Respondents.Any(respondents.Contains))
            {
                break;
            }

            respondents.UnionWith(increments.Respondents);
            tallies += increments.TallyBound;
            records += RecordsOf(increments);
            flush.Add(lane.Waiting.Dequeue());
        }

        return flush;
    }

    private static int RecordsOf(ProductIncrements increments) => increments.Records.Count + increments.Respondents.Count;

    private sealed class Lane(string productId)
    {
        public string ProductId { get; } = productId;

        public Queue<WaitingShare> Waiting { get; } = new();

        public LaneState State { get; set; }
    }

    private enum LaneState
    {
        /// <summary>Nothing waiting and nothing in the store: about to be dropped.</summary>
        Idle,

        /// <summary>Shares waiting for a flush to end and hand this lane its place.</summary>
        Ready,

        /// <summary>A flush of this lane is in the store (or about to be sent).</summary>
        Flushing,
    }

    private sealed class WaitingShare(ProductShare share)
    {
        public ProductShare Share { get; } = share;

        public TaskCompletionSource<ShareOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
