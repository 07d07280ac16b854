using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using StackExchange.Redis;
using static NpsGrpc.Redis.RedisCalls;

namespace NpsGrpc.Redis;

/// <summary>
/// Tallies in Redis: one histogram hash per product and per segment label, changed only by the apply script.
/// Takes the one shared multiplexer; never blocks a thread on a round trip.
/// </summary>
public sealed class RedisScoreStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options, DayRetention retention) : IScoreStore
{
    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);
    private const long UndeclaredRespondentTallies = -2;
    private const long PredecessorNotApplied = -1;

    private readonly int _maxApplyAttempts = options.Value.RespondentConflictAttempts;
    private readonly long _writerExpiryMs = (long)options.Value.WriterIdleExpiry.TotalMilliseconds;
    private readonly int _replicaAcknowledgements = options.Value.ReplicaAcknowledgements;
    private readonly long _replicaTimeoutMs = (long)options.Value.ReplicaAcknowledgementTimeout.TotalMilliseconds;

    public async Task<ApplyOutcome> ApplyAsync(
        WriterStamp? writer, IReadOnlyList<ProductIncrements> products, IReadOnlyList<long>? predecessors, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return default;
        }

        var db = redis.GetDatabase();
        var results = new RedisResult[products.Count];
        IReadOnlyList<int> pending = [.. Enumerable.Range(0, products.Count)];
        var known = new IReadOnlyList<RespondentState?>[products.Count];
        await ReadRespondentStatesAsync(db, products, pending, known).ConfigureAwait(false);
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            if (attempt > _maxApplyAttempts)
            {
                throw new ScoreStoreConflictException(
                    $"Other writers kept replacing answers of the same respondents of {pending.Count} product(s) through {_maxApplyAttempts} attempt(s).");
            }

            if (attempt > 2)
            {
                // A refusal means another writer's script just ran first, so retrying at once with the answers it left
                // (the second attempt) cannot livelock. A writer refused twice is on a respondent that writers keep
                // replacing: it waits a random while to fall out of step with them, then reads the answers afresh, since
                // those its refusal returned may have been replaced during the wait.
                await Task.Delay(Random.Shared.Next(1, 1 << Math.Min(attempt, 7)), CancellationToken.None).ConfigureAwait(false);
                await ReadRespondentStatesAsync(db, products, pending, known).ConfigureAwait(false);
            }

            pending = await ApplyOnceAsync(db, writer, products, predecessors, pending, known, results).ConfigureAwait(false);
        }

        await AwaitReplicasAsync(db, products).ConfigureAwait(false);

        var applied = 0;
        string? overtaken = null;
        Dictionary<int, ResponseOutcome>? respondentOutcomes = null;
        HashSet<int>? alreadyApplied = null;
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Resp2Type != ResultType.Array)
            {
                // 0: this writer had applied this sequence to this product already; -1: its predecessor was not applied.
                if ((long)results[i] == PredecessorNotApplied)
                {
                    overtaken ??= products[i].ProductId;
                }
                else
                {
                    (alreadyApplied ??= []).Add(i);
                }

                continue;
            }

            applied++;
            var codes = (long[])results[i]!;
            var answers = products[i].RespondentAnswers;
            for (var r = 0; r < answers.Count; r++)
            {
                (respondentOutcomes ??= [])[answers[r].Index] = codes[r + 1] switch
                {
                    2 => ResponseOutcome.Replaced,
                    3 => ResponseOutcome.Superseded,
                    _ => ResponseOutcome.Counted,
                };
            }
        }

        if (overtaken is not null)
        {
            throw new ScoreStoreUnavailableException(
                $"An earlier batch of writer '{writer?.WriterId}' was not applied to product '{overtaken}', so batch {writer?.Sequence} was not applied to it either.");
        }

        return new ApplyOutcome(applied, products.Count - applied, respondentOutcomes, alreadyApplied);
    }

    /// <summary>
    /// Sends the scripts of the pending products together (they share the connection's pipeline: about one round trip
    /// each way), declaring the tallies of each respondent's answer as last known. Returns the products whose script
    /// refused because an answer stored since then moved other tallies: it wrote nothing and answered the states it
    /// found, which replace the known ones for the next attempt.
    /// </summary>
    private async Task<IReadOnlyList<int>> ApplyOnceAsync(
        IDatabase db,
        WriterStamp? writer,
        IReadOnlyList<ProductIncrements> products,
        IReadOnlyList<long>? predecessors,
        IReadOnlyList<int> pending,
        IReadOnlyList<RespondentState?>[] known,
        RedisResult[] results)
    {
        var scripts = new Task<RedisResult>[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            var product = pending[i];
            var (keys, args) = Scripts.ApplyArguments(_layout, writer, products[product], known[product], predecessors?[product] ?? 0, _writerExpiryMs, retention);
            scripts[i] = db.ScriptEvaluateAsync(Scripts.Apply, keys, args);
        }

        await Reached(Task.WhenAll(scripts), "apply the batch").ConfigureAwait(false);

        var refused = new List<int>();
        for (var i = 0; i < pending.Count; i++)
        {
            var result = scripts[i].Result;
            if (result.Resp2Type == ResultType.Array && (long)result[0] == UndeclaredRespondentTallies)
            {
                var reply = (RedisResult[])result!;
                known[pending[i]] = [.. Enumerable.Range(0, products[pending[i]].RespondentAnswers.Count)
                    .Select(r => RespondentState.FromReply(reply, 1 + (r * RespondentState.Fields.Length)))];
                refused.Add(pending[i]);
            }
            else
            {
                results[pending[i]] = result;
            }
        }

        return refused;
    }

    /// <summary>With replicas required, a batch is acknowledged only once enough replicas of every primary it wrote to have it.</summary>
    private Task AwaitReplicasAsync(IDatabase db, IReadOnlyList<ProductIncrements> products) => RedisCalls.AwaitReplicasAsync(
        redis, db, products.Select(product => _layout.Labels(product.ProductId)), _replicaAcknowledgements, _replicaTimeoutMs, "batch");

    /// <summary>Reads the state of every respondent answer of the pending products into <paramref name="known"/> (empty for a product without any).</summary>
    private async Task ReadRespondentStatesAsync(
        IDatabase db, IReadOnlyList<ProductIncrements> products, IReadOnlyList<int> pending, IReadOnlyList<RespondentState?>[] known)
    {
        var reads = new Task<RedisValue[]>[pending.Count][];
        for (var i = 0; i < pending.Count; i++)
        {
            var product = products[pending[i]];
            reads[i] = [.. product.RespondentAnswers.Select(answer => db.HashGetAsync(_layout.Respondent(product.ProductId, answer.RespondentId), RespondentState.Fields))];
        }

        await Reached(Task.WhenAll(reads.SelectMany(read => read)), "read respondent states").ConfigureAwait(false);
        for (var i = 0; i < pending.Count; i++)
        {
            known[pending[i]] = [.. reads[i].Select(values => RespondentState.From(values.Result))];
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
        (RedisResult[])(await Reached(redis.GetDatabase().ScriptEvaluateAsync(Scripts.Read, keys, sum ? SumInRedis : null), "answer the read").ConfigureAwait(false))!;

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
