using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Names every key. All keys of one product share the hash tag <c>{product}</c>, so they sit in one cluster slot
/// and one script can change them atomically. After the tag comes a fixed word (all, seg, d, m, w, r, labels, rec, fu,
/// fug, fuc, fud, t, tf; and changes, the product's sharded channel) and the variable part (a label, a writer id, a group, a month) always comes last, so no two keys
/// can collide even though ids and labels may contain ':'. Ids and labels cannot contain braces or '=', so the tag and
/// <c>key=value</c> are unambiguous.
/// </summary>
public sealed class RedisKeyLayout(string prefix)
{
    /// <summary><c>prefix:{product}:all</c>: hash of score → count for the whole product.</summary>
    public RedisKey All(string productId) => Tally(productId, new TallyKey(TimeBucket.AllTime, null));

    /// <summary><c>prefix:{product}:seg:key=value</c>: hash of score → count for one segment label.</summary>
    public RedisKey Segment(string productId, SegmentLabel label) => Tally(productId, new TallyKey(TimeBucket.AllTime, label));

    /// <summary>
    /// The hash of one tally: <c>all</c> / <c>seg:k=v</c> for all time, <c>d:2026-11-23</c> / <c>d:2026-11-23:seg:k=v</c>
    /// for a UTC day, <c>m:2026-11</c> / <c>m:2026-11:seg:k=v</c> for a UTC month.
    /// </summary>
    public RedisKey Tally(string productId, TallyKey key)
    {
        var bucket = key.Bucket.Kind switch
        {
            BucketKind.Day => "d:" + key.Bucket.Label,
            BucketKind.Month => "m:" + key.Bucket.Label,
            _ => null,
        };
        return (bucket, key.Label) switch
        {
            (null, null) => string.Concat(prefix, ":{", productId, "}:all"),
            (null, { } label) => string.Concat(prefix, ":{", productId, "}:seg:", label.ToString()),
            ({ } b, null) => string.Concat(prefix, ":{", productId, "}:", b),
            ({ } b, { } label) => string.Concat(prefix, ":{", productId, "}:", b, ":seg:", label.ToString()),
        };
    }

    /// <summary><c>prefix:{product}:labels</c>: the set of <c>key=value</c> labels the product has seen.</summary>
    public RedisKey Labels(string productId) => string.Concat(prefix, ":{", productId, "}:labels");

    /// <summary>
    /// <c>prefix:{product}:</c>, which the apply script extends to the tallies of a respondent's earlier answer
    /// (known only once its state is read); must produce exactly the names <see cref="Tally"/> gives.
    /// </summary>
    public string TallyPrefix(string productId) => string.Concat(prefix, ":{", productId, "}:");

    /// <summary><c>prefix:{product}:r:respondent</c>: the respondent's counted answer (time, score, day, month, labels).</summary>
    public RedisKey Respondent(string productId, string respondentId) => string.Concat(prefix, ":{", productId, "}:r:", respondentId);

    /// <summary><c>prefix:{product}:fug</c>: hash of group → its settings, <c>categories csv|only with comment 1/0|visibility ms</c>.</summary>
    public RedisKey FollowUpGroups(string productId) => string.Concat(prefix, ":{", productId, "}:fug");

    /// <summary><c>prefix:{product}:fuc</c>: hash of group → how many records it acknowledged, all time.</summary>
    public RedisKey FollowUpDoneCounts(string productId) => string.Concat(prefix, ":{", productId, "}:fuc");

    /// <summary>
    /// <c>prefix:{product}:fud:group</c>: sorted set of the group's acknowledgements, scored by done time (ms), member
    /// <c>record id:ms from answer to done</c>.
    /// </summary>
    public RedisKey FollowUpDoneTimes(string productId, string group) => string.Concat(prefix, ":{", productId, "}:fud:", group);

    /// <summary><c>prefix:{product}:w:writer</c>: the last sequence this writer applied to this product.</summary>
    public RedisKey Writer(string productId, string writerId) => string.Concat(prefix, ":{", productId, "}:w:", writerId);

    /// <summary><c>prefix:{product}:rec</c>: hash of record id → the record as JSON (written by the apply script).</summary>
    public RedisKey Records(string productId) => string.Concat(prefix, ":{", productId, "}:rec");

    /// <summary><c>prefix:{product}:rec:n</c>: the counter (INCR) that gives record ids "1", "2", ….</summary>
    public RedisKey RecordCounter(string productId) => string.Concat(prefix, ":{", productId, "}:rec:n");

    /// <summary>
    /// <c>prefix:{product}:rec:idx</c>: sorted set, all scores 0, of <c>answered_at µs (16 digits):record id (12 digits)</c>,
    /// so a lexical range is a time range, oldest first (see <see cref="RecordIndexEntry"/>).
    /// </summary>
    public RedisKey RecordIndex(string productId) => string.Concat(prefix, ":{", productId, "}:rec:idx");

    /// <summary><c>prefix:{product}:fu</c>: stream with one entry per record (id, score, has comment) for follow-up groups.</summary>
    public RedisKey FollowUps(string productId) => string.Concat(prefix, ":{", productId, "}:fu");

    /// <summary>
    /// <c>prefix:{product}:t:D:2026-11</c>: hash of stem → count in the comments of one category (D, N, P) in one UTC
    /// month, with <c>#comments</c> and <c>#terms</c>.
    /// </summary>
    public RedisKey Terms(string productId, ScoreCategory category, string month) =>
        string.Concat(prefix, ":{", productId, "}:t:", CategoryLetter(category).ToString(), ":", month);

    /// <summary><c>prefix:{product}:tf:2026-11</c>: hash of <c>"stem surface"</c> → count: how each stem was written that month.</summary>
    public RedisKey TermSurfaces(string productId, string month) => string.Concat(prefix, ":{", productId, "}:tf:", month);

    /// <summary>
    /// <c>prefix:{product}:changes</c>: the product's sharded pub/sub channel (SPUBLISH, Redis 7), on which the apply
    /// script publishes a notice each time it applies. The hash tag puts it in the product's slot, so the script, which
    /// may only publish on its own node, publishes where the tallies are; it names it as <c>TallyPrefix .. 'changes'</c>.
    /// </summary>
    public RedisChannel Changes(string productId) => RedisChannel.Sharded(string.Concat(prefix, ":{", productId, "}:changes"));

    /// <summary>The letter of a category in term keys (the apply script maps scores to the same letters).</summary>
    public static char CategoryLetter(ScoreCategory category) => category switch
    {
        ScoreCategory.Detractor => 'D',
        ScoreCategory.Passive => 'N',
        ScoreCategory.Promoter => 'P',
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown category."),
    };
}
