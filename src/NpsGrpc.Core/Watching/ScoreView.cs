using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Watching;

/// <summary>
/// One score that watchers of this server watch (a product or segment, over all responses or a rolling window),
/// and the watchers watching it. A notice wakes them all; their reads are shared: a read that began after the
/// latest notice serves every watcher that asks while it runs or after it, so one notice costs this server one read
/// of the view, however many watchers the view has. The confidence level is each watcher's own: it changes the
/// statistics, not what is read.
/// </summary>
public sealed class ScoreView(ScoreQuery query, int windowDays, IScoreStore store)
{
    private readonly Lock _gate = new();
    private ChangeSignal[] _watchers = [];
    private long _version;
    private Read? _latest;

    public ScoreQuery Query { get; } = query;

    public int WindowDays { get; } = windowDays;

    /// <summary>How many notices (or resyncs) the view has had: a read serves a watcher if it began at or after the version the watcher saw.</summary>
    public long Version => Interlocked.Read(ref _version);

    internal int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Length;
            }
        }
    }

    /// <summary>The score may have changed: wakes every watcher.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _version);
        ChangeSignal[] watchers;
        lock (_gate)
        {
            watchers = _watchers;
        }

        foreach (var watcher in watchers)
        {
            watcher.Notify();
        }
    }

    /// <summary>
    /// The score as of a read that began at or after <paramref name="version"/>, in the window of <paramref name="now"/>:
    /// the latest read if it qualifies (finished or still running), a new one otherwise. A score never counted reads as
    /// a histogram of zeros.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    public Task<WatchedScore> ReadAsync(long version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = WatchSpec.Window(WindowDays, now);
        Task<WatchedScore> reading;
        lock (_gate)
        {
            if (_latest is not { } latest || latest.Version < version || latest.Window != window || latest.Reading.IsFaulted || latest.Reading.IsCanceled)
            {
                // The version is taken before the read is sent, so a notice that comes while it runs asks for another.
                latest = new Read(Version, window, ReadFromStoreAsync(window, now));
                _latest = latest;
            }

            reading = latest.Reading;
        }

        // Shared by every watcher of the view: one watcher leaving does not cancel the others' read.
        return reading.WaitAsync(cancellationToken);
    }

    internal void Add(ChangeSignal watcher)
    {
        lock (_gate)
        {
            _watchers = [.. _watchers, watcher];
        }
    }

    /// <summary>Removes a watcher; returns how many remain.</summary>
    internal int Remove(ChangeSignal watcher)
    {
        lock (_gate)
        {
            _watchers = [.. _watchers.Where(other => other != watcher)];
            return _watchers.Length;
        }
    }

    private async Task<WatchedScore> ReadFromStoreAsync(DayInterval? window, DateTimeOffset now)
    {
        // Off the caller's lock: the store call starts on its own.
        await Task.Yield();
        if (window is not { } days)
        {
            var allTime = await store.GetDistributionAsync(Query, CancellationToken.None).ConfigureAwait(false);
            return new WatchedScore(allTime ?? new ScoreDistribution(), null, now);
        }

        var windows = await store.GetWindowsAsync(Query, [IntervalRules.Readable(days.Buckets(), now)], CancellationToken.None).ConfigureAwait(false);
        return new WatchedScore(windows?[0] ?? new ScoreDistribution(), days.Start, now);
    }

    private sealed record Read(long Version, DayInterval? Window, Task<WatchedScore> Reading);
}
