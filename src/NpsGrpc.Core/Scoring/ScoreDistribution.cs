namespace NpsGrpc.Core.Scoring;

/// <summary>
/// How many responses answered each of the eleven scores. This histogram is what the store keeps;
/// every figure of a score derives from it.
/// </summary>
public sealed class ScoreDistribution
{
    public const int Length = ScoreClassifier.MaxScore + 1;

    private readonly long[] _counts;

    public ScoreDistribution() => _counts = new long[Length];

    private ScoreDistribution(long[] counts) => _counts = counts;

    public static ScoreDistribution FromCounts(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != Length)
        {
            throw new ArgumentException($"A distribution has {Length} counts, one per score.", nameof(counts));
        }

        var copy = new long[Length];
        for (var score = 0; score < Length; score++)
        {
            if (counts[score] < 0)
            {
                throw new ArgumentException("Counts cannot be negative.", nameof(counts));
            }

            copy[score] = counts[score];
        }

        return new ScoreDistribution(copy);
    }

    public long this[int score] => _counts[score];

    public IReadOnlyList<long> Counts => _counts;

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    public bool IsEmpty => Total == 0;

    public void Add(int score, long count = 1)
    {
        if (!ScoreClassifier.IsValidScore(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A score is 0 to 10.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _counts[score] += count;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this histogram.</summary>
    public void AddAll(ScoreDistribution other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var score = 0; score < Length; score++)
        {
            _counts[score] += other._counts[score];
        }
    }

    /// <summary>The histogram of all the parts' responses together (buckets that tile an interval, for example).</summary>
    public static ScoreDistribution Sum(IEnumerable<ScoreDistribution> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var sum = new ScoreDistribution();
        foreach (var part in parts)
        {
            sum.AddAll(part);
        }

        return sum;
    }

    public long CountOf(ScoreCategory category)
    {
        long sum = 0;
        for (var score = 0; score < Length; score++)
        {
            if (ScoreClassifier.Classify(score) == category)
            {
                sum += _counts[score];
            }
        }

        return sum;
    }
}
