using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.Watching;

/// <summary>A watched score as read: the histogram, the first day of its window (null for all responses), and when it was read.</summary>
public sealed record WatchedScore(ScoreDistribution Distribution, DateOnly? WindowStart, DateTimeOffset ReadTime)
{
    /// <summary>Whether a watcher that was sent <paramref name="other"/> would see nothing new in this one (the read time aside).</summary>
    public bool SameScoreAs(WatchedScore? other) =>
        other is not null && WindowStart == other.WindowStart && Distribution.Counts.SequenceEqual(other.Distribution.Counts);
}
