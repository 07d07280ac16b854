using System.Globalization;
using System.Text;

namespace NpsGrpc.Core.FollowUps;

/// <summary>
/// The rules of SurveyResponse.comment, which a follow-up note shares: at most <see cref="MaxCodePoints"/> Unicode
/// code points, no control character but newline and tab, no unpaired surrogate; kept NFC-normalised.
/// </summary>
/// <remarks>Stands in for the comment validator of the write path until it is on main, then gives way to it.</remarks>
public static class NoteText
{
    public const int MaxCodePoints = 2000;

    /// <summary>Why <paramref name="text"/> breaks the rules (naming it <paramref name="what"/>), or null with its normal form.</summary>
    public static string? Explain(string text, string what, out string normalized)
    {
        ArgumentNullException.ThrowIfNull(text);
        normalized = text;
        var codePoints = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"{what} has an unpaired surrogate (U+{(int)c:X4}) at position {i}; send well-formed UTF-16 text.";
            }
            else if (char.IsControl(c) && c is not ('\n' or '\t'))
            {
                return $"{what} has the control character U+{(int)c:X4} at position {i}; only newline and tab are allowed.";
            }

            codePoints++;
        }

        if (codePoints > MaxCodePoints)
        {
            return $"{what} is {codePoints.ToString(CultureInfo.InvariantCulture)} code points long; at most {MaxCodePoints} are allowed.";
        }

        normalized = text.Normalize(NormalizationForm.FormC);
        return null;
    }
}
