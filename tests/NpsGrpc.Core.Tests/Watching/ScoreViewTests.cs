using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Watching;

namespace NpsGrpc.Core.Tests.Watching;

public class ScoreViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private readonly MemoryScores _store = new();

    [Fact]
    public async Task Watchers_that_ask_while_a_read_runs_share_it()
    {
        var view = new ScoreView(ScoreQuery.Parse("p", string.Empty), 0, _store);
        _store.Add(Today, 9, count: 3);
        _store.Hold();

        var first = view.ReadAsync(view.Version, Now, CancellationToken.None);
        var second = view.ReadAsync(view.Version, Now, CancellationToken.None);
        await WaitForReadsAsync(1);
        _store.Release();

        Assert.Same(await first, await second);
        Assert.Equal(3, (await first).Distribution.Total);
        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task A_finished_read_serves_later_watchers_until_the_next_notice()
    {
        var view = new ScoreView(ScoreQuery.Parse("p", string.Empty), 0, _store);
        _store.Add(Today, 9);

        var first = await view.ReadAsync(view.Version, Now, CancellationToken.None);
        var again = await view.ReadAsync(view.Version, Now.AddSeconds(5), CancellationToken.None);
        _store.Add(Today, 0);
        view.Changed();
        var afterNotice = await view.ReadAsync(view.Version, Now.AddSeconds(6), CancellationToken.None);

        Assert.Same(first, again);
        Assert.Equal((1, 2), (first.Distribution.Total, afterNotice.Distribution.Total));
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task A_read_begun_before_a_notice_does_not_serve_a_watcher_woken_by_it()
    {
        var view = new ScoreView(ScoreQuery.Parse("p", string.Empty), 0, _store);
        _store.Hold();
        var early = view.ReadAsync(view.Version, Now, CancellationToken.None);
        await WaitForReadsAsync(1);

        _store.Add(Today, 10);
        view.Changed();
        _store.Release();
        var late = await view.ReadAsync(view.Version, Now, CancellationToken.None);

        await early;
        Assert.Equal(1, late.Distribution.Total);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task A_failed_read_fails_its_watchers_and_the_next_watcher_reads_again()
    {
        var view = new ScoreView(ScoreQuery.Parse("p", string.Empty), 0, _store);
        _store.FailNext = 1;

        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => view.ReadAsync(view.Version, Now, CancellationToken.None));
        var next = await view.ReadAsync(view.Version, Now, CancellationToken.None);

        Assert.Equal(0, next.Distribution.Total);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task A_score_never_counted_reads_as_zeros_and_a_segment_reads_only_its_own_answers()
    {
        var segment = new ScoreView(ScoreQuery.Parse("p", "region=eu"), 0, _store);
        var untouched = await segment.ReadAsync(segment.Version, Now, CancellationToken.None);
        _store.Add(Today, 3, "region=us");
        _store.Add(Today, 10, "region=eu");
        segment.Changed();

        var counted = await segment.ReadAsync(segment.Version, Now, CancellationToken.None);

        Assert.Equal(new long[11], untouched.Distribution.Counts);
        Assert.Equal((1L, 1L), (counted.Distribution.Total, counted.Distribution[10]));
    }

    [Fact]
    public async Task A_rolling_window_reads_its_days_only_and_says_where_it_starts()
    {
        var view = new ScoreView(ScoreQuery.Parse("p", string.Empty), 30, _store);
        _store.Add(Today, 10);
        _store.Add(Today.AddDays(-29), 9);
        _store.Add(Today.AddDays(-30), 0);

        var score = await view.ReadAsync(view.Version, Now, CancellationToken.None);
        var tomorrow = await view.ReadAsync(view.Version, Now.AddDays(1), CancellationToken.None);

        Assert.Equal((2L, Today.AddDays(-29)), (score.Distribution.Total, score.WindowStart));
        Assert.Equal((1L, Today.AddDays(-28)), (tomorrow.Distribution.Total, tomorrow.WindowStart));
        Assert.Equal(2, _store.Reads);
    }

    private async Task WaitForReadsAsync(int reads)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_store.Reads < reads)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_store.Reads} reads reached the store, not {reads}.");
            await Task.Delay(5);
        }
    }
}
