using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Tallies in Redis: one histogram hash per product and per segment label, changed only by the apply script.
/// Takes the one shared multiplexer; never blocks a thread on a round trip.
/// </summary>
public sealed class RedisScoreStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options, DayRetention retention) : IScoreStore
{
    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);
    private readonly long _writerExpiryMs = (long)options.Value.WriterIdleExpiry.TotalMilliseconds;

    public async Task<ApplyOutcome> ApplyAsync(
        WriterStamp? writer, IReadOnlyList<ProductIncrements> products, IReadOnlyList<long>? predecessors, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return default;
        }

        var db = redis.GetDatabase();
        var scripts = new Task<RedisResult>[products.Count];
        for (var i = 0; i < products.Count; i++)
        {
            var (keys, args) = Scripts.ApplyArguments(_layout, writer, products[i], predecessors?[i] ?? 0, _writerExpiryMs, retention);
            // Issued together, the scripts share the connection's pipeline: one batch costs about one round trip.
            scripts[i] = db.ScriptEvaluateAsync(Scripts.Apply, keys, args);
        }

        await Reached(Task.WhenAll(scripts), "apply the batch").ConfigureAwait(false);

        var applied = 0;
        string? overtaken = null;
        Dictionary<int, ResponseOutcome>? respondentOutcomes = null;
        for (var i = 0; i < scripts.Length; i++)
        {
            var result = scripts[i].Result;
            if (result.Resp2Type != ResultType.Array)
            {
                // 0: this writer had applied this sequence to this product already; -1: its predecessor was not applied.
                overtaken ??= (long)result == -1 ? products[i].ProductId : null;
                continue;
            }

            applied++;
            var codes = (long[])result!;
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

        return new ApplyOutcome(applied, products.Count - applied, respondentOutcomes);
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

    /// <summary>Awaits a Redis call, turning "Redis is away or busy" into the store's retryable failure.</summary>
    private static async Task Reached(Task call, string what)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw new ScoreStoreUnavailableException($"Redis did not {what}: {e.Message}", e);
        }
    }

    private static async Task<T> Reached<T>(Task<T> call, string what)
    {
        await Reached((Task)call, what).ConfigureAwait(false);
        return await call.ConfigureAwait(false);
    }

    private async Task<RedisResult[]> ReadAsync(RedisKey[] keys) =>
        (RedisResult[])(await Reached(redis.GetDatabase().ScriptEvaluateAsync(Scripts.Read, keys), "answer the read").ConfigureAwait(false))!;

    public async Task<IReadOnlyList<ScoreDistribution>?> GetWindowsAsync(
        ScoreQuery query, IReadOnlyList<IReadOnlyList<TimeBucket>> windows, CancellationToken cancellationToken)
    {
        // Windows of a trend overlap (rolling windows, shared months): each bucket is read once.
        var distinct = windows.SelectMany(window => window).Distinct().ToList();
        var keys = new RedisKey[1 + distinct.Count];
        keys[0] = _layout.Tally(query.ProductId, new TallyKey(TimeBucket.AllTime, query.Segment));
        for (var i = 0; i < distinct.Count; i++)
        {
            keys[i + 1] = _layout.Tally(query.ProductId, new TallyKey(distinct[i], query.Segment));
        }

        var values = await ReadAsync(keys).ConfigureAwait(false);
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
