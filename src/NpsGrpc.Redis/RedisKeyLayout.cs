using NpsGrpc.Core.Validation;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Names every key. All keys of one product share the hash tag <c>{product}</c>, so they sit in one cluster slot
/// and one script can change them atomically. Product ids and labels cannot contain braces or '=', so the tag
/// and the <c>key=value</c> label are never ambiguous.
/// </summary>
public sealed class RedisKeyLayout(string prefix)
{
    /// <summary><c>prefix:{product}:all</c>: hash of score → count for the whole product.</summary>
    public RedisKey All(string productId) => string.Concat(prefix, ":{", productId, "}:all");

    /// <summary><c>prefix:{product}:seg:key=value</c>: hash of score → count for one segment label.</summary>
    public RedisKey Segment(string productId, SegmentLabel label) =>
        string.Concat(prefix, ":{", productId, "}:seg:", label.Key, "=", label.Value);

    /// <summary><c>prefix:{product}:w:writer</c>: the last sequence this writer applied to this product.</summary>
    public RedisKey Writer(string productId, string writerId) => string.Concat(prefix, ":{", productId, "}:w:", writerId);
}
