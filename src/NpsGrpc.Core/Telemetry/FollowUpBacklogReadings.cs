using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using NpsGrpc.Core.FollowUps;

namespace NpsGrpc.Core.Telemetry;

/// <summary>
/// The last sampled follow-up backlog of each (group, product) pair, which the backlog gauges report at each collection:
/// a collection reads memory only, never Redis, however often it comes.
/// </summary>
public sealed class FollowUpBacklogReadings
{
    internal const string GroupAttribute = "nps.follow_up.group";
    internal const string ProductAttribute = "nps.product.id";
    internal const string StateAttribute = "nps.follow_up.state";
    internal const string Waiting = "waiting";
    internal const string InProgress = "in_progress";

    private readonly ConcurrentDictionary<(string Group, string Product), Reading> _readings = new();

    /// <summary>Pairs with a reading.</summary>
    public int Count => _readings.Count;

    /// <summary>Keeps <paramref name="backlog"/> as the group's reading on its product, sampled at <paramref name="sampledAt"/>.</summary>
    public void Set(string group, FollowUpBacklog backlog, DateTimeOffset sampledAt)
    {
        ArgumentNullException.ThrowIfNull(backlog);
        var age = backlog.OldestWaitingAnsweredAt is { } answeredAt ? Math.Max(0, (sampledAt - answeredAt).TotalSeconds) : (double?)null;
        _readings[(group, backlog.ProductId)] = new Reading(backlog.Waiting, backlog.InProgress, age);
    }

    /// <summary>Drops every reading whose pair is not among <paramref name="sampled"/> (pairs no longer sampled stop being reported).</summary>
    public void RetainOnly(IReadOnlyList<(string Group, IReadOnlyList<string> Products)> sampled)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        var kept = sampled.SelectMany(group => group.Products.Select(product => (group.Group, product))).ToHashSet();
        foreach (var key in _readings.Keys.Where(key => !kept.Contains(key)))
        {
            _readings.TryRemove(key, out _);
        }
    }

    /// <summary>Drops the pair's reading.</summary>
    public void Remove(string group, string product) => _readings.TryRemove((group, product), out _);

    /// <summary>Records waiting and in progress, one measurement of each per pair.</summary>
    internal IEnumerable<Measurement<long>> Counts()
    {
        foreach (var ((group, product), reading) in _readings)
        {
            yield return new Measurement<long>(reading.Waiting, Tags(group, product, Waiting));
            yield return new Measurement<long>(reading.InProgress, Tags(group, product, InProgress));
        }
    }

    /// <summary>The oldest waiting record's age at the sample, for each pair with one waiting.</summary>
    internal IEnumerable<Measurement<double>> OldestWaitingAges()
    {
        foreach (var ((group, product), reading) in _readings)
        {
            if (reading.OldestWaitingAgeSeconds is { } age)
            {
                yield return new Measurement<double>(age, Tags(group, product, state: null));
            }
        }
    }

    private static KeyValuePair<string, object?>[] Tags(string group, string product, string? state) =>
        state is null
            ? [new(GroupAttribute, group), new(ProductAttribute, product)]
            : [new(GroupAttribute, group), new(ProductAttribute, product), new(StateAttribute, state)];

    private sealed record Reading(long Waiting, long InProgress, double? OldestWaitingAgeSeconds);
}
