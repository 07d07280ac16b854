using Microsoft.Extensions.Time.Testing;
using NpsGrpc.Core.Telemetry;

namespace NpsGrpc.Core.Tests.Telemetry;

public sealed class FollowUpBacklogTargetsTests
{
    private static readonly TimeSpan Memory = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_pair_with_an_open_stream_stays_sampled_however_long_it_is_open_and_for_the_memory_after_it_closes()
    {
        var targets = new FollowUpBacklogTargets(_clock, 10, Memory);
        var stream = targets.Open("care", ["shop", "app"]);

        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(["care: app, shop"], Flatten(targets.Due()));

        stream.Dispose();
        _clock.Advance(Memory);
        Assert.Equal(["care: app, shop"], Flatten(targets.Due()));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(targets.Due());
        Assert.Equal(0, targets.Count);
    }

    [Fact]
    public void A_pair_stays_open_while_any_of_its_streams_is_and_closing_one_twice_counts_once()
    {
        var targets = new FollowUpBacklogTargets(_clock, 10, Memory);
        var first = targets.Open("care", ["shop"]);
        using var second = targets.Open("care", ["shop"]);

        first.Dispose();
        first.Dispose();
        _clock.Advance(Memory * 2);

        Assert.Equal(["care: shop"], Flatten(targets.Due()));
    }

    [Fact]
    public void A_backlog_call_keeps_its_pairs_sampled_for_the_memory_from_the_call()
    {
        var targets = new FollowUpBacklogTargets(_clock, 10, Memory);
        targets.Touch("care", ["shop"]);
        _clock.Advance(Memory / 2);
        targets.Touch("care", ["shop"]);
        targets.Touch("sales", ["shop"]);

        _clock.Advance(Memory);
        Assert.Equal(["care: shop", "sales: shop"], Flatten(targets.Due()));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(targets.Due());
    }

    [Fact]
    public void Past_the_capacity_the_pair_seen_longest_ago_without_an_open_stream_gives_way()
    {
        var targets = new FollowUpBacklogTargets(_clock, 3, Memory);
        using var open = targets.Open("care", ["oldest-but-open"]);
        _clock.Advance(TimeSpan.FromMinutes(1));
        targets.Touch("care", ["older"]);
        _clock.Advance(TimeSpan.FromMinutes(1));
        targets.Touch("care", ["newer"]);
        _clock.Advance(TimeSpan.FromMinutes(1));

        targets.Touch("care", ["newest"]);

        Assert.Equal(["care: newer, newest, oldest-but-open"], Flatten(targets.Due()));
    }

    [Fact]
    public void When_every_pair_has_an_open_stream_a_new_pair_is_not_sampled_and_its_stream_still_closes_cleanly()
    {
        var targets = new FollowUpBacklogTargets(_clock, 2, Memory);
        using var open = targets.Open("care", ["a", "b"]);

        var late = targets.Open("care", ["c"]);
        targets.Touch("care", ["d"]);
        late.Dispose();

        Assert.Equal(["care: a, b"], Flatten(targets.Due()));
    }

    [Fact]
    public void A_forgotten_pair_is_no_longer_due_while_the_group_keeps_its_other_products()
    {
        var targets = new FollowUpBacklogTargets(_clock, 10, Memory);
        using var open = targets.Open("care", ["shop", "app"]);

        targets.Forget("care", "shop");

        Assert.Equal(["care: app"], Flatten(targets.Due()));
    }

    /// <summary>Each group with its products, both in order: the targets promise none.</summary>
    private static List<string> Flatten(IReadOnlyList<(string Group, IReadOnlyList<string> Products)> due) =>
        [.. due.Select(group => $"{group.Group}: {string.Join(", ", group.Products.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal)];
}
