using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Ingestion;

/// <summary>One tally: a time bucket of the whole product (<see cref="Label"/> null) or of one segment label.</summary>
public readonly record struct TallyKey(TimeBucket Bucket, SegmentLabel? Label)
{
    /// <summary>
    /// The tallies an answer of <paramref name="day"/> moves for one label (null: the whole product): all time, its
    /// month and, while the day is retained, its day (a day past retention would expire the moment it was written).
    /// </summary>
    public static IEnumerable<TallyKey> MovedBy(DateOnly day, SegmentLabel? label, bool dayRetained)
    {
        yield return new TallyKey(TimeBucket.AllTime, label);
        yield return new TallyKey(TimeBucket.Month(day), label);
        if (dayRetained)
        {
            yield return new TallyKey(TimeBucket.Day(day), label);
        }
    }

    /// <summary>The tallies one answer moves: those of <see cref="MovedBy"/> for the product and for each of its labels.</summary>
    public static IReadOnlyList<TallyKey> MovedByAnswer(DateOnly day, bool dayRetained, IReadOnlyCollection<SegmentLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var keys = new List<TallyKey>((labels.Count + 1) * 3);
        keys.AddRange(MovedBy(day, null, dayRetained));
        foreach (var label in labels)
        {
            keys.AddRange(MovedBy(day, label, dayRetained));
        }

        return keys;
    }
}

/// <summary>
/// Everything one batch adds to one product: a histogram per tally it touches (all time, the UTC month and the
/// UTC day of each answer, for the product and for each label). The store applies it atomically, so a
/// product's tallies move by all of it or by none.
/// </summary>
public sealed class ProductIncrements(string productId, FoldContext context)
{
    // Answers are counted once per (UTC day, label) as they come (one lookup for the product, one per label);
    // the all-time, month and day tallies are derived from these when first read. Most answers of a batch share
    // a day, so the product's own histogram of the last day seen is kept at hand.
    private readonly Dictionary<(DateOnly Day, SegmentLabel? Label), ScoreDistribution> _byDay = [];
    private readonly Dictionary<string, RespondentAnswer> _respondents = new(StringComparer.Ordinal);
    private readonly List<AnswerRecord> _records = [];
    private readonly Dictionary<(ScoreCategory Category, string Month), TermTally> _terms = [];
    private DateOnly _lastDay;
    private ScoreDistribution? _lastDayHistogram;
    private Dictionary<TallyKey, ScoreDistribution>? _tallies;
    private HashSet<SegmentLabel>? _labels;
    private List<RespondentAnswer>? _mergedRespondents;
    private List<int>? _respondentShares;

    public string ProductId { get; } = productId;

    /// <summary>What the batch was folded with: its receive time and the rules of records and terms.</summary>
    public FoldContext Context => context;

    /// <summary>The answers without a respondent that are kept as records, in request order.</summary>
    public IReadOnlyList<AnswerRecord> Records => _records;

    /// <summary>The key terms of the comments of answers without a respondent, per category and UTC month (<c>yyyy-MM</c>).</summary>
    public IReadOnlyDictionary<(ScoreCategory Category, string Month), TermTally> Terms => _terms;

    /// <summary>
    /// Whether applying the batch may write records: it records an answer without a respondent, or it has respondent
    /// answers (each may be recorded, and may replace a recorded earlier answer, whose record is then marked replaced).
    /// </summary>
    public bool TouchesRecords => _records.Count > 0 || _respondents.Count > 0;

    public IReadOnlyDictionary<TallyKey, ScoreDistribution> Tallies => _tallies ??= ExpandTallies();

    /// <summary>
    /// At most as many tallies as <see cref="Tallies"/> holds (each (day, label) histogram moves three), known without
    /// expanding them: what a flush's bound is checked with.
    /// </summary>
    public int TallyBound => _byDay.Count * 3;

    /// <summary>
    /// The segment labels of the batch's answers without a respondent. A respondent's labels are added by the
    /// store only if its answer is applied, so a superseded answer never lists a label nobody counted.
    /// </summary>
    public IReadOnlyCollection<SegmentLabel> Labels =>
        _labels ??= [.. _byDay.Keys.Where(key => key.Label is not null).Select(key => key.Label!.Value)];

    /// <summary>The all-time histogram of the whole product.</summary>
    public ScoreDistribution All => Tallies.TryGetValue(new TallyKey(TimeBucket.AllTime, null), out var all) ? all : new ScoreDistribution();

    /// <summary>The all-time histogram of each label.</summary>
    public IReadOnlyDictionary<SegmentLabel, ScoreDistribution> Segments =>
        Tallies.Where(pair => pair.Key.Bucket.Kind == BucketKind.AllTime && pair.Key.Label is not null)
            .ToDictionary(pair => pair.Key.Label!.Value, pair => pair.Value);

    public long ResponseCount => All.Total;

    /// <summary>The latest answer of each respondent in the batch, in request order; applied one by one by the store.</summary>
    public IReadOnlyList<RespondentAnswer> RespondentAnswers => _mergedRespondents ?? [.. _respondents.Values.OrderBy(answer => answer.Index)];

    /// <summary>
    /// For increments <see cref="Merge"/> made: by position in <see cref="RespondentAnswers"/>, which of the merged
    /// shares each answer came from (its <see cref="RespondentAnswer.Index"/> is a request index of that share's batch).
    /// Null for the increments of one batch.
    /// </summary>
    public IReadOnlyList<int>? RespondentShares => _respondentShares;

    /// <summary>The respondents whose answers these increments carry.</summary>
    public IReadOnlyCollection<string> Respondents => _respondents.Keys;

    /// <summary>
    /// The increments of several batches to one product, added up as one batch: the histograms per (day, label) summed,
    /// the labels, records and key terms of each in order, and every respondent answer in share order. The store then
    /// applies them with one script; the rules of the last share's context (the newest) decide what is retained.
    /// </summary>
    /// <exception cref="ArgumentException">The shares are of different products, or a respondent answers in two of them.</exception>
    public static ProductIncrements Merge(IReadOnlyList<ProductIncrements> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentOutOfRangeException.ThrowIfZero(shares.Count);
        if (shares.Count == 1)
        {
            return shares[0];
        }

        var merged = new ProductIncrements(shares[0].ProductId, shares[^1].Context)
        {
            _mergedRespondents = [],
            _respondentShares = [],
        };
        for (var i = 0; i < shares.Count; i++)
        {
            var share = shares[i];
            if (!string.Equals(share.ProductId, merged.ProductId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Shares of products '{merged.ProductId}' and '{share.ProductId}' cannot be merged.", nameof(shares));
            }

            foreach (var ((day, label), histogram) in share._byDay)
            {
                merged.Histogram(day, label).AddAll(histogram);
            }

            merged._records.AddRange(share._records);
            foreach (var (key, terms) in share._terms)
            {
                if (!merged._terms.TryGetValue(key, out var tally))
                {
                    tally = new TermTally();
                    merged._terms.Add(key, tally);
                }

                tally.AddAll(terms);
            }

            foreach (var answer in share.RespondentAnswers)
            {
                if (!merged._respondents.TryAdd(answer.RespondentId, answer))
                {
                    throw new ArgumentException($"Respondent '{answer.RespondentId}' answers in two of the shares merged.", nameof(shares));
                }

                merged._mergedRespondents.Add(answer);
                merged._respondentShares.Add(i);
            }
        }

        return merged;
    }

    /// <summary>
    /// Keeps the respondent's latest answer of the batch (ties: the later in the batch) and returns the index of
    /// the one it displaced, which is superseded without reaching the store; null when nothing was displaced.
    /// </summary>
    internal int? AddRespondent(in SurveyAnswer answer, int index, int score, DateTimeOffset answeredAt, string? comment)
    {
        var day = DateOnly.FromDateTime(answeredAt.UtcDateTime);
        var labels = answer.Segments.Select(pair => new SegmentLabel(pair.Key, pair.Value)).ToList();
        var language = LanguageOf(answer);
        TermTally? terms = null;
        if (comment is not null && context.Analyzer is { } analyzer && context.Records.AreTermsKept(day, context.Now))
        {
            terms = new TermTally();
            terms.Add(analyzer.Analyze(comment, language));
        }

        var candidate = new RespondentAnswer(
            index,
            answer.RespondentId!,
            score,
            answeredAt,
            labels,
            context.Retention.IsRetained(day, context.Now),
            comment,
            language,
            context.Records.IsRecorded(score, comment is not null, answeredAt, context.Now),
            terms);
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

    internal void Add(in SurveyAnswer answer, int score, DateTimeOffset answeredAt, string? comment)
    {
        _tallies = null;
        _labels = null;
        var day = DateOnly.FromDateTime(answeredAt.UtcDateTime);
        if (comment is not null || context.Records.FollowUpCategories.Count > 0)
        {
            AddRecordAndTerms(answer, score, answeredAt, day, comment);
        }

        if (_lastDayHistogram is null || day != _lastDay)
        {
            _lastDay = day;
            _lastDayHistogram = Histogram(day, null);
        }

        _lastDayHistogram.Add(score);
        if (answer.Segments.Count == 0)
        {
            return;
        }

        foreach (var (key, value) in answer.Segments)
        {
            Histogram(day, new SegmentLabel(key, value)).Add(score);
        }
    }

    private void AddRecordAndTerms(in SurveyAnswer answer, int score, DateTimeOffset answeredAt, DateOnly day, string? comment)
    {
        var language = LanguageOf(answer);
        if (context.Records.IsRecorded(score, comment is not null, answeredAt, context.Now))
        {
            _records.Add(new AnswerRecord(answeredAt, score, [.. answer.Segments.Select(pair => new SegmentLabel(pair.Key, pair.Value))], comment, language));
        }

        // A month past the term retention counts no words: its counts are gone, or would expire as they were written.
        if (comment is not null && context.Analyzer is { } analyzer && context.Records.AreTermsKept(day, context.Now))
        {
            var key = (ScoreClassifier.Classify(score), TimeBucket.Month(day).Label);
            if (!_terms.TryGetValue(key, out var tally))
            {
                tally = new TermTally();
                _terms.Add(key, tally);
            }

            tally.Add(analyzer.Analyze(comment, language));
        }
    }

    private string LanguageOf(in SurveyAnswer answer) =>
        string.IsNullOrEmpty(answer.LanguageCode) ? context.DefaultLanguage : answer.LanguageCode;

    private ScoreDistribution Histogram(DateOnly day, SegmentLabel? label)
    {
        if (!_byDay.TryGetValue((day, label), out var histogram))
        {
            histogram = new ScoreDistribution();
            _byDay.Add((day, label), histogram);
        }

        return histogram;
    }

    /// <summary>
    /// Each (day, label) histogram moves the tallies <see cref="TallyKey.MovedBy"/> names. A tally only one histogram
    /// moves (the common case: a batch's answers are of one day, so the day's histogram is also the month's and all
    /// time's) is that histogram itself, not a copy: these are read-only, and <see cref="Add"/> drops them before it
    /// changes a histogram. A tally several histograms move gets its own sum.
    /// </summary>
    private Dictionary<TallyKey, ScoreDistribution> ExpandTallies()
    {
        var tallies = new Dictionary<TallyKey, ScoreDistribution>(_byDay.Count * 3);
        HashSet<TallyKey>? summed = null;
        foreach (var ((day, label), histogram) in _byDay)
        {
            foreach (var key in TallyKey.MovedBy(day, label, context.Retention.IsRetained(day, context.Now)))
            {
                AddTo(tallies, ref summed, key, histogram);
            }
        }

        return tallies;
    }

    private static void AddTo(Dictionary<TallyKey, ScoreDistribution> tallies, ref HashSet<TallyKey>? summed, TallyKey key, ScoreDistribution histogram)
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies.Add(key, histogram);
            return;
        }

        if ((summed ??= []).Add(key))
        {
            var sum = new ScoreDistribution();
            sum.AddAll(tally);
            tallies[key] = tally = sum;
        }

        tally.AddAll(histogram);
    }
}
