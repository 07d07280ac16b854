using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Records;

/// <summary>
/// Which records of a product a listing shows: optionally one segment label, an interval [start, end) of answered_at
/// in µs since 1970 (either side open), some categories (none: every one), and only those with a comment.
/// </summary>
public sealed class RecordFilter
{
    private static readonly ScoreCategory[] Every = Enum.GetValues<ScoreCategory>();

    public RecordFilter(string productId, SegmentLabel? segment, long? startMicros, long? endMicros, IEnumerable<ScoreCategory> categories, bool onlyWithComment)
    {
        ProductId = productId;
        Segment = segment;
        StartMicros = startMicros;
        EndMicros = endMicros;
        var chosen = categories.ToHashSet();
        // Naming every category filters nothing: the same listing as naming none, so it takes the same tokens.
        Categories = chosen.Count == Every.Length ? new HashSet<ScoreCategory>() : chosen;
        OnlyWithComment = onlyWithComment;
    }

    public string ProductId { get; }

    public SegmentLabel? Segment { get; }

    /// <summary>Only records answered at or after this many µs since 1970; null: from the oldest.</summary>
    public long? StartMicros { get; }

    /// <summary>Only records answered before this many µs since 1970; null: up to the newest.</summary>
    public long? EndMicros { get; }

    /// <summary>The categories shown; empty means every one.</summary>
    public IReadOnlySet<ScoreCategory> Categories { get; }

    public bool OnlyWithComment { get; }

    public bool Includes(ScoreCategory category) => Categories.Count == 0 || Categories.Contains(category);

    /// <summary>
    /// 64 bits of a SHA-256 of the filter written canonically: what binds a page token to its listing. Not a secret
    /// (the token is opaque, not signed): it tells a token sent with another filter from one sent with the same.
    /// </summary>
    public ulong Fingerprint()
    {
        var canonical = string.Join(
            '\n',
            "records-v1",
            ProductId,
            Segment?.ToString() ?? string.Empty,
            StartMicros?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            EndMicros?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            string.Join(',', Categories.Order().Select(category => (int)category)),
            OnlyWithComment ? "1" : "0");
        return BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
