using System.Diagnostics;

namespace NpsGrpc.Bench.Measure;

/// <summary>Latencies of one run, in Stopwatch ticks, merged from every worker; percentiles by nearest rank.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = [];
    private readonly Lock _gate = new();
    private long[]? _sorted;

    public int Count => _ticks.Count;

    public void AddRange(List<long> ticks)
    {
        lock (_gate)
        {
            _ticks.AddRange(ticks);
            _sorted = null;
        }
    }

    /// <summary>Every latency of <paramref name="runs"/> together, as if they had been one run.</summary>
    public static Latencies Merge(params Latencies[] runs)
    {
        var merged = new Latencies();
        foreach (var run in runs)
        {
            lock (run._gate)
            {
                merged.AddRange(run._ticks);
            }
        }

        return merged;
    }

    /// <summary>The latency at <paramref name="percentile"/> (0-100), in milliseconds; NaN when nothing was measured.</summary>
    public double Milliseconds(double percentile)
    {
        _sorted ??= [.. _ticks.Order()];
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
