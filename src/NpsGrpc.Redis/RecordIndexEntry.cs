using System.Globalization;
using NpsGrpc.Core.Records;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// The members of a product's record index: <c>answered_at µs, 16 digits</c>:<c>record id, 12 digits</c>, all with
/// score 0, so that lexical order (ZRANGE BYLEX) is (answered_at, id) order and REV gives newest first. The scripts
/// build the same members (apply.lua when recording, erase.lua to remove one).
/// </summary>
internal static class RecordIndexEntry
{
    public static string Member(RecordCursor cursor) => string.Concat(
        cursor.AnsweredAtMicros.ToString("D16", CultureInfo.InvariantCulture), ":", cursor.RecordId.ToString("D12", CultureInfo.InvariantCulture));

    /// <summary>The position a member stands for; null for anything the scripts do not write.</summary>
    public static RecordCursor? Parse(RedisValue member)
    {
        var text = member.ToString();
        if (text.Length != 29 || text[16] != ':'
            || !long.TryParse(text.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            || !long.TryParse(text.AsSpan(17), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var cursor = new RecordCursor(micros, id);
        return cursor.IsValid ? cursor : null;
    }

    /// <summary>
    /// The newest end of a page as a ZRANGE BYLEX bound: before the cursor when the page continues a listing (never
    /// past the interval's end), else before the interval's end, else the whole index (<c>+</c>). A member of an
    /// answer at <c>end</c> is longer than its 16 digits and so sorts after them: <c>(digits</c> excludes it.
    /// </summary>
    public static string Newest(RecordFilter filter, RecordCursor? after)
    {
        var end = filter.EndMicros is { } micros && micros < RecordCursor.MicrosLimit
            ? "(" + Math.Max(micros, 0).ToString("D16", CultureInfo.InvariantCulture)
            : "+";
        if (after is not { } cursor)
        {
            return end;
        }

        var continued = "(" + Member(cursor);
        return end == "+" || string.CompareOrdinal(continued, end) < 0 ? continued : end;
    }

    /// <summary>The oldest end as a ZRANGE BYLEX bound: from the interval's start (inclusive: its members sort after its 16 digits), else <c>-</c>.</summary>
    public static string Oldest(RecordFilter filter) => filter.StartMicros switch
    {
        null or <= 0 => "-",
        // ":" sorts after every digit: a bound above every member.
        >= RecordCursor.MicrosLimit => "[:",
        { } micros => "[" + micros.ToString("D16", CultureInfo.InvariantCulture),
    };
}
