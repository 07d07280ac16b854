using NpsGrpc.Core.Storage;

namespace NpsGrpc.Core.Watching;

/// <summary>
/// The loop of one WatchScore call: sends the current score at once, then waits for a notice (or, with a rolling
/// window, for midnight UTC), reads the score again and sends it if it changed. Reads are at least
/// <see cref="WatchSpec.MinInterval"/> apart, so scores are too: every notice that comes in between is coalesced into
/// the next read, which sees them all. A read that finds nothing new (another segment changed) sends nothing.
/// </summary>
/// <remarks>
/// A read the store cannot answer is tried again every <see cref="OutagePause"/> for up to <see cref="OutageGrace"/>
/// (a restart, a failover), then the call fails: a watcher must not be left believing a score that may be stale.
/// Sends wait for HTTP/2 flow control, and the signal coalesces meanwhile: a slow reader gets the latest score when it
/// reads, never a backlog.
/// </remarks>
public sealed class ScoreWatchLoop(TimeProvider clock)
{
    public static readonly TimeSpan OutagePause = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan OutageGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (then throws <see cref="OperationCanceledException"/>)
    /// or the store stays unreachable; <paramref name="send"/> writes each score.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store did not answer for <see cref="OutageGrace"/>.</exception>
    public async Task RunAsync(WatchSpec spec, ScoreWatch watch, Func<WatchedScore, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(send);
        WatchedScore? sent = null;
        DateTimeOffset? paceFrom = null;
        var readAt = clock.GetUtcNow();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (paceFrom is { } last)
            {
                await NextChangeAsync(spec, watch.Signal, readAt, cancellationToken).ConfigureAwait(false);
                var wait = last + spec.MinInterval - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                }
            }

            // Paced from this watcher's own clock, not from the shared read's time: a read another watcher began
            // earlier may serve this one.
            paceFrom = clock.GetUtcNow();
            var score = await ReadAsync(watch, cancellationToken).ConfigureAwait(false);
            readAt = score.ReadTime;
            if (!score.SameScoreAs(sent))
            {
                // Paced from the send's start, so at most one score starts per min_interval however long a write
                // waits for the client; and the clock is read before the watcher can see the score and act on it.
                paceFrom = clock.GetUtcNow();
                await send(score, cancellationToken).ConfigureAwait(false);
                sent = score;
            }
        }
    }

    /// <summary>
    /// Returns on a notice, or once a rolling window has moved since the window of the last read (at once if it has
    /// already: the read may have come just before midnight and this wait just after).
    /// </summary>
    private async Task NextChangeAsync(WatchSpec spec, ChangeSignal signal, DateTimeOffset lastReadAt, CancellationToken cancellationToken)
    {
        if (spec.NextWindowMove(lastReadAt) is not { } move)
        {
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var notice = signal.WaitAsync(waiting.Token);
        var midnight = Task.Delay(TimeSpan.FromTicks(Math.Max(0, (move - clock.GetUtcNow()).Ticks)), clock, waiting.Token);
        await Task.WhenAny(notice, midnight).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Reads the score as of every notice taken so far, trying again through a short outage.</summary>
    private async Task<WatchedScore> ReadAsync(ScoreWatch watch, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        while (true)
        {
            // Taken before the read: a notice that comes while it runs marks the signal again, for the next read.
            watch.Signal.TryTake();
            try
            {
                return await watch.View.ReadAsync(watch.View.Version, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (ScoreStoreUnavailableException) when (clock.GetUtcNow() - started < OutageGrace)
            {
                await Task.Delay(OutagePause, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
