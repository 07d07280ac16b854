using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using StackExchange.Redis;
using static NpsGrpc.Redis.RedisCalls;

namespace NpsGrpc.Redis;

/// <summary>
/// Tallies in Redis: one histogram hash per product and per segment label, changed only by the apply script.
/// Takes the one shared multiplexer; never blocks a thread on a round trip.
/// </summary>
/// <param name="metrics">Where each script's round trip is recorded; none when null.</param>
public sealed class RedisScoreStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options, DayRetention retention, NpsMetrics? metrics = null) : IScoreStore
{
    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);
    private const long UndeclaredRespondentTallies = -2;
    private const long SharesRefused = -3;

    private readonly int _maxApplyAttempts = options.Value.RespondentConflictAttempts;
    private readonly long _writerExpiryMs = (long)options.Value.WriterIdleExpiry.TotalMilliseconds;
    private readonly int _replicaAcknowledgements = options.Value.ReplicaAcknowledgements;
    private readonly long _replicaTimeoutMs = (long)options.Value.ReplicaAcknowledgementTimeout.TotalMilliseconds;
    private readonly TermExpiryMemo _termMonths = new();

    public async Task<IReadOnlyList<ShareOutcome>> ApplySharesAsync(string productId, IReadOnlyList<ProductShare> shares, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Any(share => !string.Equals(share.Increments.ProductId, productId, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Every share must be of product '{productId}'.", nameof(shares));
        }

        if (shares.Count == 0)
        {
            return [];
        }

        var flush = new Flush(shares);
        await ApplyAsync(redis.GetDatabase(), flush).ConfigureAwait(false);
        return flush.Outcomes;
    }

    /// <summary>With replicas required, a batch is acknowledged only once enough replicas of every primary it wrote to have it.</summary>
    public Task AwaitReplicasAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken) => RedisCalls.AwaitReplicasAsync(
        redis, redis.GetDatabase(), productIds.Select(_layout.Labels), _replicaAcknowledgements, _replicaTimeoutMs, "batch");

    /// <summary>
    /// Sends the flush's script, declaring the tallies of each respondent's answer as last known, until it applied or
    /// has no share left to apply. A refusal because an answer stored since then moved other tallies wrote nothing and
    /// answered the states it found, which replace the known ones; a refusal of some shares (already applied, or their
    /// predecessor not) wrote nothing either, and the flush is sent again without them.
    /// </summary>
    private async Task ApplyAsync(IDatabase db, Flush flush)
    {
        await ReadRespondentStatesAsync(db, flush).ConfigureAwait(false);
        for (var attempt = 1; ;)
        {
            if (attempt > _maxApplyAttempts)
            {
                throw new ScoreStoreConflictException(
                    $"Other writers kept replacing answers of the same respondents of product '{flush.Merged.ProductId}' through {_maxApplyAttempts} attempt(s).");
            }

            var previous = flush.Previous();
            var termMonths = Scripts.TermMonths(flush.Merged, previous);
            var (keys, args) = flush.Arguments(_layout, previous, _writerExpiryMs, retention, _termMonths.HasNew(flush.Merged.ProductId, termMonths));
            var result = (RedisResult[])(await Reached(db.ScriptEvaluateAsync(Scripts.Apply, keys, args).Timed(metrics, ScriptName.Apply), "apply the batch").ConfigureAwait(false))!;
            switch ((long)result[0])
            {
                case UndeclaredRespondentTallies:
                    flush.Learn(result);
                    attempt++;
                    if (attempt > 2 && attempt <= _maxApplyAttempts)
                    {
                        // A refusal means another writer's script just ran first, so retrying at once with the answers it
                        // left (the second attempt) cannot livelock. A writer refused twice is on a respondent that writers
                        // keep replacing: it waits a random while to fall out of step with them, then reads the answers
                        // afresh, since those its refusal returned may have been replaced during the wait.
                        await Task.Delay(Random.Shared.Next(1, 1 << Math.Min(attempt, 7)), CancellationToken.None).ConfigureAwait(false);
                        await ReadRespondentStatesAsync(db, flush).ConfigureAwait(false);
                    }

                    break;
                case SharesRefused:
                    if (!flush.TakeOutRefused(result))
                    {
                        return;
                    }

                    break;
                default:
                    flush.Applied([.. result.Select(code => (long)code)]);
                    _termMonths.Written(flush.Merged.ProductId, termMonths);
                    return;
            }
        }
    }

    /// <summary>Reads the state of every respondent answer of the flush (none for a flush without any).</summary>
    private async Task ReadRespondentStatesAsync(IDatabase db, Flush flush)
    {
        var respondents = flush.Merged.Respondents.ToList();
        var reads = respondents.Select(respondent => db.HashGetAsync(_layout.Respondent(flush.Merged.ProductId, respondent), RespondentState.Fields)).ToList();
        await Reached(Task.WhenAll(reads), "read respondent states").ConfigureAwait(false);
        for (var r = 0; r < respondents.Count; r++)
        {
            flush.Known[respondents[r]] = RespondentState.From(reads[r].Result);
        }
    }

    /// <summary>
    /// The shares one script applies to one product, and what the store knows while applying them: which are still to
    /// apply, their increments merged, each respondent's state as last read, and each share's outcome once known.
    /// </summary>
    private sealed class Flush
    {
        private readonly IReadOnlyList<ProductShare> _shares;
        private readonly List<int> _live;

        public Flush(IReadOnlyList<ProductShare> shares)
        {
            _shares = shares;
            _live = [.. Enumerable.Range(0, shares.Count)];
            Outcomes = new ShareOutcome[shares.Count];
            Merged = ProductIncrements.Merge(shares.Select(share => share.Increments).ToList());
        }

        public ShareOutcome[] Outcomes { get; }

        /// <summary>The increments of the shares still to apply, merged.</summary>
        public ProductIncrements Merged { get; private set; }

        public Dictionary<string, RespondentState?> Known { get; } = new(StringComparer.Ordinal);

        /// <summary>Each respondent answer's state as last read, in the order of <see cref="ProductIncrements.RespondentAnswers"/>.</summary>
        public RespondentState?[] Previous() => [.. Merged.RespondentAnswers.Select(answer => Known.GetValueOrDefault(answer.RespondentId))];

        public (RedisKey[] Keys, RedisValue[] Args) Arguments(
            RedisKeyLayout layout, IReadOnlyList<RespondentState?> previous, long writerExpiryMs, DayRetention retention, bool refreshTermExpiries) =>
            Scripts.ApplyArguments(
                layout,
                [.. _live.Select(s => (_shares[s].Writer, _shares[s].Predecessor))],
                Merged,
                previous,
                writerExpiryMs,
                retention,
                refreshTermExpiries);

        /// <summary>Takes the states a "declare these and retry" refusal answered as the known ones.</summary>
        public void Learn(RedisResult[] reply)
        {
            var answers = Merged.RespondentAnswers;
            for (var r = 0; r < answers.Count; r++)
            {
                Known[answers[r].RespondentId] = RespondentState.FromReply(reply, 1 + (r * RespondentState.Fields.Length));
            }
        }

        /// <summary>
        /// Records the verdict of each refused share (one per share with a writer, in order) and takes those shares out;
        /// returns whether any share is left to apply.
        /// </summary>
        public bool TakeOutRefused(RedisResult[] reply)
        {
            var v = 1;
            var kept = new List<int>(_live.Count);
            foreach (var s in _live)
            {
                var verdict = _shares[s].Writer is null ? 0 : (long)reply[v++];
                if (verdict == 0)
                {
                    kept.Add(s);
                }
                else
                {
                    Outcomes[s] = new ShareOutcome(verdict == 1 ? ShareVerdict.AlreadyApplied : ShareVerdict.PredecessorNotApplied);
                }
            }

            _live.Clear();
            _live.AddRange(kept);
            if (_live.Count > 0)
            {
                Merged = ProductIncrements.Merge([.. _live.Select(s => _shares[s].Increments)]);
            }

            return _live.Count > 0;
        }

        /// <summary>Records every share still to apply as applied, with what the script says each respondent answer did.</summary>
        public void Applied(long[] codes)
        {
            var answers = Merged.RespondentAnswers;
            var owners = Merged.RespondentShares;
            var outcomes = new Dictionary<int, ResponseOutcome>?[_live.Count];
            for (var r = 0; r < answers.Count; r++)
            {
                var owner = owners?[r] ?? 0;
                (outcomes[owner] ??= [])[answers[r].Index] = codes[r + 1] switch
                {
                    2 => ResponseOutcome.Replaced,
                    3 => ResponseOutcome.Superseded,
                    _ => ResponseOutcome.Counted,
                };
            }

            for (var i = 0; i < _live.Count; i++)
            {
                Outcomes[_live[i]] = new ShareOutcome(ShareVerdict.Applied, outcomes[i]);
            }
        }
    }

    public async Task<ScoreDistribution?> GetDistributionAsync(ScoreQuery query, CancellationToken cancellationToken)
    {
        var key = query.Segment is { } label ? _layout.Segment(query.ProductId, label) : _layout.All(query.ProductId);
        var values = await Reached(redis.GetDatabase().HashGetAsync(key, ScoreFields.Names), "answer the read").ConfigureAwait(false);

        var counts = new long[ScoreDistribution.Length];
        var seen = false;
        for (var score = 0; score < counts.Length; score++)
        {
            if (!values[score].IsNull)
            {
                counts[score] = (long)values[score];
                seen = true;
            }
        }

        return seen ? ScoreDistribution.FromCounts(counts) : null;
    }

    private static readonly RedisValue[] SumInRedis = ["sum"];

    /// <param name="sum">Whether Redis adds the tallies up and returns one distribution instead of one per tally.</param>
    private async Task<RedisResult[]> ReadAsync(RedisKey[] keys, bool sum = false) =>
        (RedisResult[])(await Reached(redis.GetDatabase().ScriptEvaluateAsync(Scripts.Read, keys, sum ? SumInRedis : null).Timed(metrics, ScriptName.Read), "answer the read").ConfigureAwait(false))!;

    public async Task<IReadOnlyList<ScoreDistribution>?> GetWindowsAsync(
        ScoreQuery query, IReadOnlyList<IReadOnlyList<TimeBucket>> windows, CancellationToken cancellationToken)
    {
        if (windows.Count == 1)
        {
            return await GetWindowAsync(query, windows[0]).ConfigureAwait(false) is { } distribution ? [distribution] : null;
        }

        // Windows of a trend overlap (rolling windows, shared months): each bucket is read once.
        var distinct = windows.SelectMany(window => window).Distinct().ToList();
        var values = await ReadAsync(ReadKeys(query, distinct)).ConfigureAwait(false);
        if ((long)values[0] == 0)
        {
            return null;
        }

        var byBucket = new Dictionary<TimeBucket, ScoreDistribution>(distinct.Count);
        for (var i = 0; i < distinct.Count; i++)
        {
            byBucket[distinct[i]] = Scripts.Distribution(values, 1 + (i * ScoreDistribution.Length));
        }

        return [.. windows.Select(window => ScoreDistribution.Sum(window.Select(bucket => byBucket[bucket])))];
    }

    /// <summary>One window (a GetScore interval): Redis sums its buckets, so only eleven counts come back however many there are.</summary>
    private async Task<ScoreDistribution?> GetWindowAsync(ScoreQuery query, IReadOnlyList<TimeBucket> window)
    {
        var values = await ReadAsync(ReadKeys(query, window), sum: true).ConfigureAwait(false);
        return (long)values[0] == 0 ? null : Scripts.Distribution(values, 1);
    }

    /// <summary>The read script's KEYS: the query's all-time tally (was it ever counted?), then its tally in each bucket.</summary>
    private RedisKey[] ReadKeys(ScoreQuery query, IReadOnlyList<TimeBucket> buckets)
    {
        var keys = new RedisKey[1 + buckets.Count];
        keys[0] = _layout.Tally(query.ProductId, new TallyKey(TimeBucket.AllTime, query.Segment));
        for (var i = 0; i < buckets.Count; i++)
        {
            keys[i + 1] = _layout.Tally(query.ProductId, new TallyKey(buckets[i], query.Segment));
        }

        return keys;
    }

    public async Task<IReadOnlyList<(SegmentLabel Label, ScoreDistribution Distribution)>?> GetSegmentsAsync(string productId, CancellationToken cancellationToken)
    {
        var members = await Reached(redis.GetDatabase().SetMembersAsync(_layout.Labels(productId)), "answer the read").ConfigureAwait(false);

        var labels = new List<SegmentLabel>(members.Length);
        foreach (var member in members)
        {
            // Only the server writes this set, so every member parses; anything else is skipped, not trusted.
            if (SegmentLabel.TryParse(member.ToString(), out var label) is null)
            {
                labels.Add(label);
            }
        }

        var keys = new RedisKey[1 + labels.Count];
        keys[0] = _layout.All(productId);
        for (var i = 0; i < labels.Count; i++)
        {
            keys[i + 1] = _layout.Segment(productId, labels[i]);
        }

        var values = await ReadAsync(keys).ConfigureAwait(false);
        if ((long)values[0] == 0)
        {
            return null;
        }

        return [.. labels.Select((label, i) => (label, Scripts.Distribution(values, 1 + (i * ScoreDistribution.Length))))];
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            return false;
        }
    }
}
