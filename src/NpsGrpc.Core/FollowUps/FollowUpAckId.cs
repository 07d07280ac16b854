using System.Buffers.Text;
using System.Globalization;
using System.Text;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.FollowUps;

/// <summary>
/// Names one delivery: the product, the group, the record's entry in the product's follow-up stream, the consumer it
/// was leased to and the attempt. Written as base64url of <c>f1|product|group|entry|consumer|attempt</c>: opaque to
/// clients (the contract promises nothing of its content), self-contained (acknowledging needs no lookup table, so
/// any instance takes any ack), and at most <see cref="MaxEncodedLength"/> characters (the contract allows 512).
/// Not signed: an ack id names nothing secret, and one made up names a delivery that is not pending for its
/// consumer (UNKNOWN or STALE_LEASE), unless its maker holds the follow_up scope and knows the lease anyway.
/// </summary>
public readonly record struct FollowUpAckId(string ProductId, string Group, StreamEntryId Entry, string Consumer, int Attempt)
{
    private const string Version = "f1";

    /// <summary>The longest id: every part at its longest, base64url without padding.</summary>
    public static readonly int MaxEncodedLength = Base64Url.GetEncodedLength(
        Version.Length + Identifier.MaxIdLength + (2 * FollowUpNames.MaxLength) + StreamEntryId.MaxLength + int.MaxValue.ToString(CultureInfo.InvariantCulture).Length + 5);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|', Version, ProductId, Group, Entry.ToString(), Consumer, Attempt.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Reads an id this server issued; false for anything else (whatever its content, it names no delivery).</summary>
    public static bool TryParse(string? text, out FollowUpAckId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxEncodedLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(text.Length)];
        string decoded;
        try
        {
            // TryDecodeFromChars throws, rather than answer false, for some lengths no encoding has.
            if (!Base64Url.TryDecodeFromChars(text, bytes, out var written))
            {
                return false;
            }

            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return false;
        }

        if (decoded.Split('|') is not [Version, var product, var group, var entryText, var consumer, var attemptText]
            || !Identifier.IsValid(product, Identifier.MaxIdLength)
            || !Identifier.IsValid(group, FollowUpNames.MaxLength)
            || !Identifier.IsValid(consumer, FollowUpNames.MaxLength)
            || !StreamEntryId.TryParse(entryText, out var entry)
            || !int.TryParse(attemptText, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            || attempt < 1)
        {
            return false;
        }

        id = new FollowUpAckId(product, group, entry, consumer, attempt);
        return true;
    }
}

/// <summary>The id of a Redis stream entry, <c>milliseconds-sequence</c>; entries of a stream are ordered by it.</summary>
public readonly record struct StreamEntryId(ulong Milliseconds, ulong Sequence) : IComparable<StreamEntryId>
{
    /// <summary>Two 20-digit numbers and the dash.</summary>
    public const int MaxLength = 41;

    public static bool TryParse(string? text, out StreamEntryId id)
    {
        id = default;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash <= 0
            || !ulong.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || !ulong.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        id = new StreamEntryId(milliseconds, sequence);
        return true;
    }

    public static StreamEntryId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a stream entry id.");

    public static bool operator <(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) < 0;

    public static bool operator <=(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) <= 0;

    public static bool operator >(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) > 0;

    public static bool operator >=(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) >= 0;

    public int CompareTo(StreamEntryId other) => (Milliseconds, Sequence).CompareTo((other.Milliseconds, other.Sequence));

    public override string ToString() => string.Concat(
        Milliseconds.ToString(CultureInfo.InvariantCulture), "-", Sequence.ToString(CultureInfo.InvariantCulture));
}
