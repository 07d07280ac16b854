using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Tallies in Redis: one histogram hash per product and per segment label, changed only by the apply script.
/// Takes the one shared multiplexer; never blocks a thread on a round trip.
/// </summary>
public sealed class RedisScoreStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options) : IScoreStore
{
    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);
    private readonly long _writerExpiryMs = (long)options.Value.WriterIdleExpiry.TotalMilliseconds;

    public async Task<ApplyOutcome> ApplyAsync(WriterStamp? writer, IReadOnlyList<ProductIncrements> products, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return default;
        }

        var db = redis.GetDatabase();
        var scripts = new Task<RedisResult>[products.Count];
        for (var i = 0; i < products.Count; i++)
        {
            var (keys, args) = ApplyScript.Arguments(_layout, writer, products[i], _writerExpiryMs);
            // Issued together, the scripts share the connection's pipeline: one batch costs about one round trip.
            scripts[i] = db.ScriptEvaluateAsync(ApplyScript.Source, keys, args);
        }

        try
        {
            await Task.WhenAll(scripts).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw new ScoreStoreUnavailableException("Redis did not apply the batch: " + e.Message, e);
        }

        var applied = 0;
        foreach (var script in scripts)
        {
            if ((long)script.Result == 1)
            {
                applied++;
            }
        }

        return new ApplyOutcome(applied, products.Count - applied);
    }

    public async Task<ScoreDistribution?> GetDistributionAsync(ScoreQuery query, CancellationToken cancellationToken)
    {
        var key = query.Segment is { } label ? _layout.Segment(query.ProductId, label) : _layout.All(query.ProductId);
        RedisValue[] values;
        try
        {
            values = await redis.GetDatabase().HashGetAsync(key, ScoreFields.Names).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw new ScoreStoreUnavailableException("Redis did not answer the read: " + e.Message, e);
        }

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
