using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Watching;

/// <summary>
/// Tallies in memory for the watch tests: answers by UTC day and label, read as the store reads them (a window sums
/// its buckets). It counts reads, can hold them until released, and can fail them as an unreachable store does.
/// </summary>
internal sealed class MemoryScores : IScoreStore
{
    private readonly Lock _gate = new();
    private readonly List<(DateOnly Day, int Score, string? Label)> _answers = [];
    private TaskCompletionSource? _held;
    private int _reads;
    private int _failNext;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>How many reads fail with <see cref="ScoreStoreUnavailableException"/> from now on.</summary>
    public int FailNext
    {
        get
        {
            lock (_gate)
            {
                return _failNext;
            }
        }

        set
        {
            lock (_gate)
            {
                _failNext = value;
            }
        }
    }

    public void Add(DateOnly day, int score, string? label = null, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _answers.Add((day, score, label));
            }
        }
    }

    /// <summary>Holds every read that starts from now on until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        TaskCompletionSource? held;
        lock (_gate)
        {
            held = _held;
            _held = null;
        }

        held?.TrySetResult();
    }

    public async Task<ScoreDistribution?> GetDistributionAsync(ScoreQuery query, CancellationToken cancellationToken)
    {
        var answers = await ReadAsync().ConfigureAwait(false);
        var matching = answers.Where(answer => Matches(query, answer.Label)).ToList();
        return matching.Count == 0 ? null : Histogram(matching.Select(answer => answer.Score));
    }

    public async Task<IReadOnlyList<ScoreDistribution>?> GetWindowsAsync(
        ScoreQuery query, IReadOnlyList<IReadOnlyList<TimeBucket>> windows, CancellationToken cancellationToken)
    {
        var answers = (await ReadAsync().ConfigureAwait(false)).Where(answer => Matches(query, answer.Label)).ToList();
        if (answers.Count == 0)
        {
            return null;
        }

        return [.. windows.Select(buckets => Histogram(answers
            .Where(answer => buckets.Any(bucket => answer.Day >= bucket.Start && answer.Day < bucket.End))
            .Select(answer => answer.Score)))];
    }

    public Task<IReadOnlyList<ShareOutcome>> ApplySharesAsync(string productId, IReadOnlyList<ProductShare> shares, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task AwaitReplicasAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<(SegmentLabel Label, ScoreDistribution Distribution)>?> GetSegmentsAsync(string productId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>The answers as they are when the read starts, as Redis runs a read when it arrives; the reply may be held.</summary>
    private async Task<List<(DateOnly Day, int Score, string? Label)>> ReadAsync()
    {
        Task held;
        List<(DateOnly Day, int Score, string? Label)> answers;
        bool fails;
        lock (_gate)
        {
            held = _held?.Task ?? Task.CompletedTask;
            answers = [.. _answers];
            fails = _failNext > 0;
            _failNext -= fails ? 1 : 0;
        }

        Interlocked.Increment(ref _reads);
        await held.ConfigureAwait(false);
        return fails ? throw new ScoreStoreUnavailableException("The test store is unreachable.") : answers;
    }

    private static bool Matches(ScoreQuery query, string? label) => query.Segment is not { } segment || segment.ToString() == label;

    private static ScoreDistribution Histogram(IEnumerable<int> scores)
    {
        var distribution = new ScoreDistribution();
        foreach (var score in scores)
        {
            distribution.Add(score);
        }

        return distribution;
    }
}

/// <summary>
/// A change feed that records what the hub subscribes to: notices are published by the test, subscriptions may be
/// made to take a while or to fail, and it checks that a product never has two subscriptions at once.
/// </summary>
internal sealed class RecordingFeed : IScoreChangeFeed
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Action>> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _subscribed = new(StringComparer.Ordinal);

    public event Action? NoticesMayBeLost;

    /// <summary>Subscribing and unsubscribing each yield first, as a round trip would, so joins and leaves interleave.</summary>
    public bool Slow { get; init; }

    public int FailNext { get; set; }

    /// <summary>The most subscriptions one product ever had at once.</summary>
    public int MostAtOnce { get; private set; }

    /// <summary>The products with a subscription now.</summary>
    public IReadOnlyList<string> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Where(pair => pair.Value.Count > 0).Select(pair => pair.Key).Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>How many times the product was subscribed to.</summary>
    public int SubscriptionsOf(string productId)
    {
        lock (_gate)
        {
            return _subscribed.GetValueOrDefault(productId);
        }
    }

    public void Publish(string productId)
    {
        Action[] handlers;
        lock (_gate)
        {
            handlers = [.. _active.GetValueOrDefault(productId) ?? []];
        }

        foreach (var handler in handlers)
        {
            handler();
        }
    }

    public void LoseNotices() => NoticesMayBeLost?.Invoke();

    public async Task<IAsyncDisposable> SubscribeAsync(string productId, Action changed, CancellationToken cancellationToken)
    {
        if (Slow)
        {
            await Task.Yield();
        }

        lock (_gate)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new ScoreStoreUnavailableException("The test feed is unreachable.");
            }

            if (!_active.TryGetValue(productId, out var handlers))
            {
                handlers = [];
                _active.Add(productId, handlers);
            }

            handlers.Add(changed);
            _subscribed[productId] = _subscribed.GetValueOrDefault(productId) + 1;
            MostAtOnce = Math.Max(MostAtOnce, handlers.Count);
        }

        return new Subscription(this, productId, changed);
    }

    private sealed class Subscription(RecordingFeed feed, string productId, Action changed) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (feed.Slow)
            {
                await Task.Yield();
            }

            lock (feed._gate)
            {
                Assert.True(feed._active[productId].Remove(changed), $"The subscription to {productId} was given back twice.");
            }
        }
    }
}
