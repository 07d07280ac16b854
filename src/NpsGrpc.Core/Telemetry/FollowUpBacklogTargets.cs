namespace NpsGrpc.Core.Telemetry;

/// <summary>
/// Which (group, product) pairs have their follow-up backlog sampled as gauges: those this instance has seen a worker
/// stream for, while it is open and for a while after (a backlog that grows because every worker went away is the one to
/// see), and those someone asked the backlog of. Bounded, so a caller naming many products makes no more series than that.
/// </summary>
/// <remarks>
/// The server cannot list every group of every product without reading every product's keys, so it samples what its
/// own calls name. On several instances each samples the pairs its own calls named; the gauges agree where they overlap.
/// </remarks>
/// <param name="clock">When a stream closed or a pair was asked for, which <paramref name="memory"/> counts from.</param>
/// <param name="capacity">Pairs sampled at most; a new pair beyond it replaces the one seen longest ago without an open stream.</param>
/// <param name="memory">How long a pair stays sampled after its last stream closed or its last backlog call.</param>
public sealed class FollowUpBacklogTargets(TimeProvider clock, int capacity, TimeSpan memory)
{
    private readonly Dictionary<(string Group, string Product), Target> _targets = [];

    /// <summary>Pairs sampled now.</summary>
    public int Count
    {
        get
        {
            lock (_targets)
            {
                return _targets.Count;
            }
        }
    }

    /// <summary>A worker's stream opened: its pairs are sampled until <paramref name="memory"/> after it is disposed.</summary>
    public IDisposable Open(string group, IReadOnlyList<string> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        var opened = new List<Target>(products.Count);
        lock (_targets)
        {
            foreach (var product in products)
            {
                if (Find(group, product) is { } target)
                {
                    target.OpenStreams++;
                    opened.Add(target);
                }
            }
        }

        return new Closing(this, opened);
    }

    /// <summary>Someone asked for the backlog of these pairs: they are sampled for <paramref name="memory"/> from now.</summary>
    public void Touch(string group, IReadOnlyList<string> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        lock (_targets)
        {
            foreach (var product in products)
            {
                Find(group, product);
            }
        }
    }

    /// <summary>The group no longer exists on the product (its records expired, or it was never created there).</summary>
    public void Forget(string group, string product)
    {
        lock (_targets)
        {
            _targets.Remove((group, product));
        }
    }

    /// <summary>The pairs to sample now, by group (in no particular order), after dropping those forgotten.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Products)> Due()
    {
        var now = clock.GetUtcNow();
        lock (_targets)
        {
            foreach (var (key, target) in _targets.Where(entry => entry.Value.ExpiredAt(now, memory)).ToList())
            {
                _targets.Remove(key);
            }

            return [.. _targets.Keys.GroupBy(key => key.Group, StringComparer.Ordinal)
                .Select(group => (group.Key, (IReadOnlyList<string>)[.. group.Select(key => key.Product)]))];
        }
    }

    /// <summary>The pair's target, seen now; added when there is room or one can be let go; null when every one has a stream open.</summary>
    private Target? Find(string group, string product)
    {
        var now = clock.GetUtcNow();
        if (_targets.TryGetValue((group, product), out var target))
        {
            target.LastSeen = now;
            return target;
        }

        if (_targets.Count >= capacity)
        {
            var idle = _targets.Where(entry => entry.Value.OpenStreams == 0).OrderBy(entry => entry.Value.LastSeen).Select(entry => entry.Key).ToList();
            if (idle.Count == 0)
            {
                return null;
            }

            _targets.Remove(idle[0]);
        }

        target = new Target { LastSeen = now };
        _targets.Add((group, product), target);
        return target;
    }

    private void Close(List<Target> opened)
    {
        var now = clock.GetUtcNow();
        lock (_targets)
        {
            foreach (var target in opened)
            {
                target.OpenStreams--;
                target.LastSeen = now;
            }
        }
    }

    private sealed class Target
    {
        public int OpenStreams { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public bool ExpiredAt(DateTimeOffset now, TimeSpan memory) => OpenStreams == 0 && now - LastSeen > memory;
    }

    private sealed class Closing(FollowUpBacklogTargets targets, List<Target> opened) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                targets.Close(opened);
            }
        }
    }
}
