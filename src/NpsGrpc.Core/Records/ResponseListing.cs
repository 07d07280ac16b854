using System.Buffers.Binary;
using System.Buffers.Text;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Records;

/// <summary>
/// One page of a ListResponses listing (AIP-158): the filter, the page size and where the page starts. Pages are
/// keyset-paginated: the token holds the position (answered_at, record id) of the last record the previous page
/// examined, so records arriving meanwhile never shift a page, and it is bound to the filter by its fingerprint.
/// </summary>
public sealed class ResponseListing
{
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;

    /// <summary>A page examines at most this many records per record asked for, so one call stays short however rare matches are.</summary>
    public const int ExaminedPerRecord = 10;

    private const byte TokenVersion = 1;
    private const int TokenLength = 1 + 8 + 8 + 8;

    private ResponseListing(RecordFilter filter, int pageSize, RecordCursor? after)
    {
        Filter = filter;
        PageSize = pageSize;
        After = after;
    }

    public RecordFilter Filter { get; }

    public int PageSize { get; }

    /// <summary>The page holds records after this position; null for the first page.</summary>
    public RecordCursor? After { get; }

    public int MaxExamined => PageSize * ExaminedPerRecord;

    /// <summary>
    /// Validates a listing request, adding each problem to <paramref name="violations"/>; returns null when there was
    /// one. The filter's interval is in whole µs, each bound rounded up (see <see cref="PreciseInstant.MicrosRoundedUp"/>).
    /// </summary>
    public static ResponseListing? TryParse(
        string productId,
        string segment,
        PreciseInstant? start,
        PreciseInstant? end,
        IEnumerable<ScoreCategory> categories,
        bool onlyWithComment,
        int pageSize,
        string pageToken,
        List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(pageToken);
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        var query = ScoreQuery.TryParse(productId, segment, string.Empty, violations);
        if (start is { } from && end is { } to && to <= from)
        {
            violations.Add(new FieldViolation("end_time", "end_time must be after start_time; the interval is [start_time, end_time)."));
        }

        if (pageSize < 0)
        {
            violations.Add(new FieldViolation("page_size", $"page_size cannot be negative; got {pageSize}."));
        }

        var filter = query is null ? null : new RecordFilter(productId, query.Segment, start?.MicrosRoundedUp, end?.MicrosRoundedUp, categories, onlyWithComment);
        RecordCursor? after = null;
        if (pageToken.Length > 0)
        {
            if (Decode(pageToken) is not { } token)
            {
                violations.Add(new FieldViolation("page_token", "page_token is not a token this service issued; pass next_page_token unchanged."));
            }
            else if (filter is not null && token.Fingerprint != filter.Fingerprint())
            {
                violations.Add(new FieldViolation(
                    "page_token",
                    "page_token belongs to a listing with another filter; send it with the same product_id, segment, start_time, end_time, categories and only_with_comment as the page it came from."));
            }
            else
            {
                after = token.After;
            }
        }

        if (violations.Count > before)
        {
            return null;
        }

        return new ResponseListing(filter!, pageSize == 0 ? DefaultSize : Math.Min(pageSize, MaxSize), after);
    }

    /// <summary>The token of the page after <paramref name="next"/>; empty when there is none (the last page).</summary>
    public string NextPageToken(RecordCursor? next)
    {
        if (next is not { } cursor)
        {
            return string.Empty;
        }

        Span<byte> bytes = stackalloc byte[TokenLength];
        bytes[0] = TokenVersion;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], Filter.Fingerprint());
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], cursor.AnsweredAtMicros);
        BinaryPrimitives.WriteInt64BigEndian(bytes[17..], cursor.RecordId);
        return Base64Url.EncodeToString(bytes);
    }

    private static (ulong Fingerprint, RecordCursor After)? Decode(string token)
    {
        Span<byte> bytes = stackalloc byte[TokenLength];
        if (token.Length != Base64Url.GetEncodedLength(TokenLength)
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != TokenLength || bytes[0] != TokenVersion)
        {
            return null;
        }

        var cursor = new RecordCursor(BinaryPrimitives.ReadInt64BigEndian(bytes[9..]), BinaryPrimitives.ReadInt64BigEndian(bytes[17..]));
        return cursor.IsValid ? (BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]), cursor) : null;
    }
}
