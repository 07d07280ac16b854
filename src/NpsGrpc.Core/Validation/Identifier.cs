using System.Buffers;

namespace NpsGrpc.Core.Validation;

/// <summary>
/// The character rules for every name the service stores: product, writer and respondent ids and segment labels.
/// The charset keeps names safe inside Redis keys: no braces (hash tags), no '=' (label separator), no spaces.
/// </summary>
public static class Identifier
{
    public const int MaxIdLength = 128;
    public const int MaxLabelPartLength = 64;
    public const string AllowedCharacters = "[A-Za-z0-9._:-]";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public static bool IsValid(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && !value.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Explains why <paramref name="value"/> is not a valid name, or returns null when it is.</summary>
    public static string? Explain(string? value, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{what} is required.";
        }

        if (value.Length > maxLength)
        {
            return $"{what} is {value.Length} characters long; at most {maxLength} are allowed.";
        }

        var bad = value.AsSpan().IndexOfAnyExcept(Allowed);
        if (bad >= 0)
        {
            return $"{what} contains {Describe(value[bad])} at position {bad}; only {AllowedCharacters} is allowed.";
        }

        return null;
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || c > '~' ? $"U+{(int)c:X4}" : $"'{c}'";
}
