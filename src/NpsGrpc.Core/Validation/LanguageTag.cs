using System.Text.RegularExpressions;

namespace NpsGrpc.Core.Validation;

/// <summary>
/// The contract's form of a BCP 47 language tag (AIP-143's <c>language_code</c>): 2 to 35 characters, a primary
/// language subtag of 2 or 3 ASCII letters, then subtags of 1 to 8 ASCII letters or digits, each after a '-'
/// (<c>fr</c>, <c>en-GB</c>, <c>zh-Hant-TW</c>). Only the form is checked, not the IANA registry: a well-formed tag
/// the analyzers have no rules for is read language-neutrally.
/// </summary>
public static partial class LanguageTag
{
    public const int MinLength = 2;
    public const int MaxLength = 35;

    public static bool IsValid(string? tag) => tag is { Length: >= MinLength and <= MaxLength } && Form().IsMatch(tag);

    /// <summary>Explains why <paramref name="tag"/> is not a valid language tag, or returns null when it is.</summary>
    public static string? Explain(string? tag, string what)
    {
        if (IsValid(tag))
        {
            return null;
        }

        var shown = tag is null ? string.Empty : tag.Length <= 40 ? Escape(tag) : Escape(tag[..40]) + "…";
        return $"{what} must be a BCP 47 tag such as 'fr' or 'en-GB' ({MinLength} to {MaxLength} characters: 2 or 3 letters, then '-' and 1 to 8 letters or digits, repeated); got '{shown}'.";
    }

    // A tag is ASCII; anything else in the message is shown as its code point, so the text stays printable.
    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"U+{(int)c:X4}"));

    [GeneratedRegex(@"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Form();
}
