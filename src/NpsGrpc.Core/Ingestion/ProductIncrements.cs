using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Ingestion;

/// <summary>One tally: a time bucket of the whole product (<see cref="Label"/> null) or of one segment label.</summary>
public readonly record struct TallyKey(TimeBucket Bucket, SegmentLabel? Label);

/// <summary>
/// Everything one batch adds to one product: a histogram per tally it touches (all time, the UTC month and the
/// UTC day of each answer, for the product and for each label). The store applies it atomically, so a
/// product's tallies move by all of it or by none.
/// </summary>
public sealed class ProductIncrements(string productId)
{
    private readonly Dictionary<TallyKey, ScoreDistribution> _tallies = [];
    private readonly HashSet<SegmentLabel> _labels = [];
    private readonly Dictionary<string, RespondentAnswer> _respondents = new(StringComparer.Ordinal);

    public string ProductId { get; } = productId;

    public IReadOnlyDictionary<TallyKey, ScoreDistribution> Tallies => _tallies;

    /// <summary>
    /// The segment labels of the batch's answers without a respondent. A respondent's labels are added by the
    /// store only if its answer is applied, so a superseded answer never lists a label nobody counted.
    /// </summary>
    public IReadOnlyCollection<SegmentLabel> Labels => _labels;

    /// <summary>The all-time histogram of the whole product.</summary>
    public ScoreDistribution All => _tallies.TryGetValue(new TallyKey(TimeBucket.AllTime, null), out var all) ? all : new ScoreDistribution();

    /// <summary>The all-time histogram of each label.</summary>
    public IReadOnlyDictionary<SegmentLabel, ScoreDistribution> Segments =>
        _tallies.Where(pair => pair.Key.Bucket.Kind == BucketKind.AllTime && pair.Key.Label is not null)
            .ToDictionary(pair => pair.Key.Label!.Value, pair => pair.Value);

    public long ResponseCount => All.Total;

    /// <summary>The latest answer of each respondent in the batch, in request order; applied one by one by the store.</summary>
    public IReadOnlyList<RespondentAnswer> RespondentAnswers => [.. _respondents.Values.OrderBy(answer => answer.Index)];

    /// <summary>
    /// Keeps the respondent's latest answer of the batch (ties: the later in the batch) and returns the index of
    /// the one it displaced, which is superseded without reaching the store; null when nothing was displaced.
    /// </summary>
    internal int? AddRespondent(in SurveyAnswer answer, int index, int score, DateTimeOffset answeredAt, FoldContext context)
    {
        var day = DateOnly.FromDateTime(answeredAt.UtcDateTime);
        var labels = answer.Segments.Select(pair => new SegmentLabel(pair.Key, pair.Value)).ToList();
        var candidate = new RespondentAnswer(index, answer.RespondentId!, score, answeredAt, labels, context.Retention.IsRetained(day, context.Now));
        if (!_respondents.TryGetValue(candidate.RespondentId, out var kept))
        {
            _respondents.Add(candidate.RespondentId, candidate);
            return null;
        }

        if (candidate.AnsweredAt >= kept.AnsweredAt)
        {
            _respondents[candidate.RespondentId] = candidate;
            return kept.Index;
        }

        return candidate.Index;
    }

    internal void Add(in SurveyAnswer answer, int score, DateTimeOffset answeredAt, FoldContext context)
    {
        var day = DateOnly.FromDateTime(answeredAt.UtcDateTime);
        // A day already past retention would expire the moment it was written: only its month and all time count.
        var countDay = context.Retention.IsRetained(day, context.Now);

        // The product itself (no label), then each of the answer's labels, in the same three time buckets.
        CountIn(null);
        foreach (var (key, value) in answer.Segments)
        {
            var label = new SegmentLabel(key, value);
            _labels.Add(label);
            CountIn(label);
        }

        void CountIn(SegmentLabel? label)
        {
            Count(TimeBucket.AllTime, label, score);
            Count(TimeBucket.Month(day), label, score);
            if (countDay)
            {
                Count(TimeBucket.Day(day), label, score);
            }
        }
    }

    private void Count(TimeBucket bucket, SegmentLabel? label, int score)
    {
        var key = new TallyKey(bucket, label);
        if (!_tallies.TryGetValue(key, out var distribution))
        {
            distribution = new ScoreDistribution();
            _tallies.Add(key, distribution);
        }

        distribution.Add(score);
    }
}
