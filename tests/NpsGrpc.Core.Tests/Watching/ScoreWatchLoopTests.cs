using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Watching;
using static NpsGrpc.Core.Tests.Watching.ScoreChangeHubTests;

namespace NpsGrpc.Core.Tests.Watching;

/// <summary>The loop of one watcher on a fake clock: time moves only when a test moves it.</summary>
public sealed class ScoreWatchLoopTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingFeed _feed = new();
    private readonly MemoryScores _store = new();
    private readonly Channel<WatchedScore> _sent = Channel.CreateUnbounded<WatchedScore>();
    private readonly CancellationTokenSource _stop = new();
    private ScoreChangeHub _hub = null!;
    private ScoreWatch? _watch;
    private Task _running = Task.CompletedTask;

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    public Task InitializeAsync()
    {
        _hub = new ScoreChangeHub(_feed, _store);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_running);
        if (_watch is not null)
        {
            await _watch.DisposeAsync();
        }

    }

    public void Dispose()
    {
        _hub.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task The_current_score_is_sent_at_once()
    {
        _store.Add(Today, 10, count: 3);

        await StartAsync(Spec("p"));
        var first = await NextSentAsync();

        Assert.Equal((3L, null, _clock.GetUtcNow()), (first.Distribution.Total, first.WindowStart, first.ReadTime));
    }

    [Fact]
    public async Task Notices_within_min_interval_are_coalesced_into_one_read_and_one_score()
    {
        await StartAsync(Spec("p", minIntervalMs: 1000));
        var first = await NextSentAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));

        // The first notice after a quiet second is read at once; ten more come while that read is in the store.
        _store.Hold();
        _store.Add(Today, 10);
        _feed.Publish("p");
        await UntilAsync(() => _store.Reads == 2);
        for (var i = 0; i < 10; i++)
        {
            _store.Add(Today, 0);
            _feed.Publish("p");
        }

        _store.Release();
        var second = await NextSentAsync();
        for (var step = 0; step < 10; step++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        var third = await NextSentAsync();

        Assert.Equal([0L, 1L, 11L], new[] { first, second, third }.Select(score => score.Distribution.Total));
        Assert.Equal(3, _store.Reads);
        Assert.True(third.ReadTime - second.ReadTime >= TimeSpan.FromSeconds(1), $"Read {third.ReadTime - second.ReadTime} after the last score sent.");
    }

    [Fact]
    public async Task A_notice_that_changes_nothing_the_watcher_sees_sends_nothing()
    {
        await StartAsync(Spec("p", segment: "region=eu", minIntervalMs: 100));
        await NextSentAsync();

        _store.Add(Today, 3, "region=us");
        _feed.Publish("p");
        await AdvanceUntilAsync(() => _store.Reads == 2);
        _store.Add(Today, 9, "region=eu");
        _feed.Publish("p");
        await AdvanceUntilAsync(() => _store.Reads == 3);
        var next = await NextSentAsync();

        Assert.Equal((1L, 1L), (next.Distribution.Total, next.Distribution[9]));
    }

    [Fact]
    public async Task A_rolling_window_sends_a_new_score_at_midnight_UTC_without_any_notice()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 23, 59, 59, 500, TimeSpan.Zero));
        _store.Add(new DateOnly(2026, 3, 9), 0);
        _store.Add(new DateOnly(2026, 3, 10), 10);
        await StartAsync(Spec("p", windowDays: 2, minIntervalMs: 100));
        var evening = await NextSentAsync();

        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var midnight = await NextSentAsync();

        Assert.Equal((2L, new DateOnly(2026, 3, 9)), (evening.Distribution.Total, evening.WindowStart));
        Assert.Equal((1L, new DateOnly(2026, 3, 10)), (midnight.Distribution.Total, midnight.WindowStart));
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), midnight.ReadTime);
    }

    [Fact]
    public async Task A_short_store_outage_is_ridden_out_and_the_watcher_gets_the_score_once_it_is_back()
    {
        await StartAsync(Spec("p", minIntervalMs: 100));
        await NextSentAsync();
        _store.FailNext = 3;
        _store.Add(Today, 8);
        _feed.Publish("p");

        await AdvanceUntilAsync(() => _sent.Reader.Count > 0);
        var back = await NextSentAsync();

        Assert.Equal(1L, back.Distribution.Total);
        Assert.Equal(5, _store.Reads);
        Assert.False(_running.IsCompleted);
    }

    [Fact]
    public async Task A_store_unreachable_for_longer_than_the_grace_ends_the_watch()
    {
        await StartAsync(Spec("p", minIntervalMs: 100));
        await NextSentAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var outage = _clock.GetUtcNow();
        _store.FailNext = int.MaxValue;
        _feed.Publish("p");

        await AdvanceUntilAsync(() => _running.IsCompleted);

        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => _running);
        Assert.True(_clock.GetUtcNow() - outage >= ScoreWatchLoop.OutageGrace, $"Gave up after {_clock.GetUtcNow() - outage}.");
    }

    [Fact]
    public async Task Cancelling_ends_the_watch()
    {
        await StartAsync(Spec("p"));
        await NextSentAsync();

        await _stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _running.WaitAsync(Deadline));
    }

    private async Task StartAsync(WatchSpec spec)
    {
        _watch = await _hub.JoinAsync(spec, CancellationToken.None);
        _running = new ScoreWatchLoop(_clock).RunAsync(
            spec,
            _watch,
            (score, _) =>
            {
                _sent.Writer.TryWrite(score);
                return Task.CompletedTask;
            },
            _stop.Token);
    }

    private async Task<WatchedScore> NextSentAsync() => await _sent.Reader.ReadAsync().AsTask().WaitAsync(Deadline);

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 30 s.");
            await Task.Delay(5);
        }
    }

    /// <summary>Moves the clock a quarter of a second at a time (the loop's pauses) until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 30 s.");
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }
    }
}
