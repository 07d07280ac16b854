using System.Buffers;
using System.Text;

namespace NpsGrpc.Core.Validation;

/// <summary>
/// The rules for a response's comment: text a person wrote, kept NFC-normalised, at most
/// <see cref="MaxCodePoints"/> Unicode code points. Newline and tab are text; any other control character is not,
/// nor is U+FFFD, which is what an unpaired surrogate or invalid UTF-8 decodes to on the way in (protobuf decodes
/// invalid UTF-8 to it), nor is an unpaired surrogate itself (a C# caller can build one).
/// </summary>
public static class CommentText
{
    public const int MaxCodePoints = 2000;

    /// <summary>
    /// Whether this process can NFC-normalise: not in globalization-invariant mode, where string.Normalize returns
    /// its input unchanged (the server refuses to start without it, rather than store comments unnormalised).
    /// </summary>
    public static bool CanNormalize => string.Equals("e\u0301".Normalize(NormalizationForm.FormC), "\u00e9", StringComparison.Ordinal);

    // C0 controls but \t and \n, DEL and C1 controls, every surrogate (paired ones are accepted by the slow path),
    // and U+FFFD: a comment without any of these (almost all) is checked by one vectorised search.
    private static readonly SearchValues<char> Suspicious = SearchValues.Create(
        string.Concat(
            new string([.. Enumerable.Range(0, 0x20).Where(c => c is not '\t' and not '\n').Select(c => (char)c)]),
            new string([.. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]),
            new string([.. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]),
            "\uFFFD"));

    /// <summary>
    /// Checks <paramref name="comment"/> and NFC-normalises it into <paramref name="normalized"/>. Returns null when it
    /// is valid, else why not, with <paramref name="tooLong"/> telling a comment that is too long from one holding a
    /// character that is not text. Characters are checked first (a string with an unpaired surrogate cannot be
    /// normalised); the length is counted after normalising, since that is the text stored: NFC composes "e" and a
    /// combining acute accent into one code point "é", and splits a few others (U+0958 becomes two).
    /// </summary>
    public static string? Explain(string comment, out string normalized, out bool tooLong)
    {
        ArgumentNullException.ThrowIfNull(comment);
        normalized = comment;
        tooLong = false;
        var span = comment.AsSpan();
        for (var at = span.IndexOfAny(Suspicious); at >= 0; at = NextSuspicious(span, at))
        {
            var c = span[at];
            if (char.IsHighSurrogate(c) && at + 1 < span.Length && char.IsLowSurrogate(span[at + 1]))
            {
                at++;
                continue;
            }

            var codePoint = CodePoints(span[..at]);
            return c switch
            {
                '\uFFFD' => $"comment contains U+FFFD at code point {codePoint}: the replacement character stands where invalid UTF-8 or an unpaired surrogate was sent.",
                _ when char.IsSurrogate(c) => $"comment contains an unpaired surrogate U+{(int)c:X4} at code point {codePoint}.",
                _ => $"comment contains the control character U+{(int)c:X4} at code point {codePoint}; only newline and tab are allowed.",
            };
        }

        normalized = comment.IsNormalized(NormalizationForm.FormC) ? comment : comment.Normalize(NormalizationForm.FormC);
        if (normalized.Length <= MaxCodePoints)
        {
            return null;
        }

        var codePoints = CodePoints(normalized);
        if (codePoints <= MaxCodePoints)
        {
            return null;
        }

        tooLong = true;
        return $"comment is {codePoints} Unicode code points long after NFC normalisation; at most {MaxCodePoints} are allowed.";
    }

    private static int NextSuspicious(ReadOnlySpan<char> span, int at)
    {
        var next = span[(at + 1)..].IndexOfAny(Suspicious);
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>The number of code points in <paramref name="text"/>, whose surrogates are all paired.</summary>
    private static int CodePoints(ReadOnlySpan<char> text)
    {
        var codePoints = text.Length;
        for (var at = text.IndexOfAnyInRange('\uD800', '\uDBFF'); at >= 0; at = text.IndexOfAnyInRange('\uD800', '\uDBFF'))
        {
            codePoints--;
            text = text[(at + 1)..];
        }

        return codePoints;
    }
}
