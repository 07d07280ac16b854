using Microsoft.Extensions.Options;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Response records in Redis: per product a hash of record JSON and a lexically ordered index (see
/// <see cref="RecordIndexEntry"/>), both written by the apply script; read a page per script call, erased per
/// product by one script.
/// </summary>
/// <param name="metrics">Where each script's round trip is recorded; none when null.</param>
public sealed class RedisRecordStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options, NpsMetrics? metrics = null) : IRecordStore
{
    /// <summary>
    /// Most bytes of record JSON one page call reads: Redis serves nothing else while the script runs, and reading
    /// and searching a MiB of records takes it about 3 ms (decoding the candidates more), so a page of a rare filter
    /// over long comments stays near 15 ms and continues on the next call.
    /// </summary>
    internal const int MaxExaminedBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Most bytes of record JSON one page returns (always at least one record): a page of 1,000 records with comments
    /// of 2,000 characters would be 8 MB, past the 4 MiB messages gRPC clients accept by default.
    /// </summary>
    internal const int MaxPageBytes = 2 * 1024 * 1024;

    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);

    public async Task<RecordPage> ListAsync(ResponseListing listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var filter = listing.Filter;
        var product = filter.ProductId;
        RedisKey[] keys = [_layout.Records(product), _layout.RecordIndex(product)];
        RedisValue[] args =
        [
            RecordIndexEntry.Newest(filter, listing.After),
            RecordIndexEntry.Oldest(filter),
            listing.PageSize,
            listing.MaxExamined,
            MaxExaminedBytes,
            MaxPageBytes,
            filter.Segment?.Key ?? string.Empty,
            filter.Segment?.Value ?? string.Empty,
            string.Concat(Enum.GetValues<ScoreCategory>().Select(category => filter.Includes(category) ? "1" : "0")),
            filter.OnlyWithComment ? "1" : "0",
        ];
        var reply = (RedisResult[])(await RedisCalls.Reached(
            redis.GetDatabase().ScriptEvaluateAsync(Scripts.List, keys, args).Timed(metrics, ScriptName.List), "read the records").ConfigureAwait(false))!;

        var records = new ResponseRecord[(reply.Length - 1) / 2];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = RecordJson.Parse(product, (string)reply[1 + (2 * i)]!, (string)reply[2 + (2 * i)]!);
        }

        return new RecordPage(records, RecordIndexEntry.Parse((RedisValue)reply[0]));
    }

    public async Task<long> EraseAsync(RespondentErasure erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var db = redis.GetDatabase();
        // One script per product (each its own slot on a cluster), all sent at once.
        var scripts = erasure.ProductIds.Select(product => db.ScriptEvaluateAsync(
            Scripts.Erase,
            [_layout.Respondent(product, erasure.RespondentId), _layout.Records(product), _layout.RecordIndex(product), _layout.FollowUps(product)])
            .Timed(metrics, ScriptName.Erase));
        var erased = await RedisCalls.Reached(Task.WhenAll(scripts), "erase the records").ConfigureAwait(false);
        return erased.Sum(count => (long)count);
    }
}
