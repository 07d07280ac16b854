using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Validation;
using NpsGrpc.Core.Watching;

namespace NpsGrpc.Core.Tests.Watching;

public class ScoreChangeHubTests
{
    private readonly RecordingFeed _feed = new();
    private readonly MemoryScores _store = new();

    [Fact]
    public async Task A_product_has_one_subscription_however_many_watchers_and_views_watch_it()
    {
        using var hub = new ScoreChangeHub(_feed, _store);

        var watches = new[]
        {
            await hub.JoinAsync(Spec("p"), CancellationToken.None),
            await hub.JoinAsync(Spec("p"), CancellationToken.None),
            await hub.JoinAsync(Spec("p", segment: "region=eu"), CancellationToken.None),
            await hub.JoinAsync(Spec("p", windowDays: 30), CancellationToken.None),
            await hub.JoinAsync(Spec("q"), CancellationToken.None),
        };

        Assert.Equal(["p", "q"], _feed.Active);
        Assert.Equal((1, 1), (_feed.SubscriptionsOf("p"), _feed.SubscriptionsOf("q")));
        Assert.Equal(2, hub.WatchedProducts);
        // Watchers of the same score share one view (and its reads); other segments and windows have their own.
        Assert.Same(watches[0].View, watches[1].View);
        Assert.Equal(3, watches.Take(4).Select(watch => watch.View).Distinct().Count());
    }

    [Fact]
    public async Task The_last_watcher_of_a_product_to_leave_gives_its_subscription_back_and_a_new_watcher_takes_another()
    {
        using var hub = new ScoreChangeHub(_feed, _store);
        var first = await hub.JoinAsync(Spec("p"), CancellationToken.None);
        var second = await hub.JoinAsync(Spec("p", segment: "plan=pro"), CancellationToken.None);

        await first.DisposeAsync();
        var afterOneLeft = _feed.Active;
        await second.DisposeAsync();
        var afterBothLeft = _feed.Active;
        await second.DisposeAsync();
        await using var again = await hub.JoinAsync(Spec("p"), CancellationToken.None);

        Assert.Equal(["p"], afterOneLeft);
        Assert.Empty(afterBothLeft);
        Assert.Equal(["p"], _feed.Active);
        Assert.Equal(2, _feed.SubscriptionsOf("p"));
    }

    [Fact]
    public async Task A_notice_wakes_every_watcher_of_its_product_and_no_other()
    {
        using var hub = new ScoreChangeHub(_feed, _store);
        await using var all = await hub.JoinAsync(Spec("p"), CancellationToken.None);
        await using var segment = await hub.JoinAsync(Spec("p", segment: "region=eu"), CancellationToken.None);
        await using var other = await hub.JoinAsync(Spec("q"), CancellationToken.None);
        var versions = (all.View.Version, segment.View.Version);

        _feed.Publish("p");

        Assert.True(all.Signal.TryTake());
        Assert.True(segment.Signal.TryTake());
        Assert.False(other.Signal.TryTake());
        Assert.Equal((versions.Item1 + 1, versions.Item2 + 1), (all.View.Version, segment.View.Version));
    }

    [Fact]
    public async Task When_notices_may_have_been_lost_every_watcher_is_woken()
    {
        using var hub = new ScoreChangeHub(_feed, _store);
        await using var p = await hub.JoinAsync(Spec("p"), CancellationToken.None);
        await using var q = await hub.JoinAsync(Spec("q", windowDays: 7), CancellationToken.None);

        _feed.LoseNotices();

        Assert.True(p.Signal.TryTake());
        Assert.True(q.Signal.TryTake());
    }

    [Fact]
    public async Task A_watcher_whose_subscription_fails_leaves_nothing_behind_and_the_next_one_subscribes()
    {
        using var hub = new ScoreChangeHub(_feed, _store);
        _feed.FailNext = 1;

        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => hub.JoinAsync(Spec("p"), CancellationToken.None));
        var left = hub.WatchedProducts;
        await using var next = await hub.JoinAsync(Spec("p"), CancellationToken.None);

        Assert.Equal(0, left);
        Assert.Equal(["p"], _feed.Active);
        Assert.Equal(1, _feed.SubscriptionsOf("p"));
    }

    [Fact]
    public async Task Watchers_joining_and_leaving_at_once_leave_one_subscription_per_product_still_watched_and_never_two()
    {
        var feed = new RecordingFeed { Slow = true };
        using var hub = new ScoreChangeHub(feed, _store);
        var products = new[] { "a", "b", "c" };
        await using var stays = await hub.JoinAsync(Spec("a"), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            await Task.Yield();
            await using var watch = await hub.JoinAsync(Spec(products[i % 3], windowDays: i % 2), CancellationToken.None);
            await Task.Yield();
        }));

        Assert.Equal(["a"], feed.Active);
        Assert.Equal(1, hub.WatchedProducts);
        Assert.Equal(1, feed.MostAtOnce);
        Assert.True(feed.SubscriptionsOf("b") >= 1);
    }

    internal static WatchSpec Spec(string product, string segment = "", int windowDays = 0, double confidence = 0, int minIntervalMs = 1000)
    {
        var violations = new List<FieldViolation>();
        var spec = WatchSpec.TryParse(product, segment, windowDays, confidence, TimeSpan.FromMilliseconds(minIntervalMs), WatchSpec.MaxWindowDays, violations);
        Assert.Empty(violations);
        return spec!;
    }
}
