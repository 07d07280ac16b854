namespace NpsGrpc.Core.Validation;

/// <summary>One segment label of a response, such as <c>region=eu</c>.</summary>
public readonly record struct SegmentLabel(string Key, string Value)
{
    public const char Separator = '=';

    public override string ToString() => string.Concat(Key, "=", Value);

    /// <summary>Parses <c>key=value</c>; returns a description of the problem, or null on success.</summary>
    public static string? TryParse(string text, out SegmentLabel label)
    {
        label = default;
        var separator = text.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0)
        {
            return $"segment must be written key=value, for example region=eu; got '{Truncate(text)}'.";
        }

        var key = text[..separator];
        var value = text[(separator + 1)..];
        var problem = Identifier.Explain(key, "segment key", Identifier.MaxLabelPartLength)
            ?? Identifier.Explain(value, "segment value", Identifier.MaxLabelPartLength);
        if (problem is not null)
        {
            return problem;
        }

        label = new SegmentLabel(key, value);
        return null;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
