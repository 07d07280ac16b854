using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Reads the fenced blocks of a Markdown document and compares printed output with the output it shows.</summary>
internal static partial class DocumentedOutput
{
    /// <summary>
    /// The printed value is the one the document shows: the same properties, none missing and none more, with the
    /// same values; arrays match element by element.
    /// </summary>
    public static void AssertSame(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind}, printed {actual.ValueKind} ({actual})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is documented but not printed: {actual}");
                    AssertSame(property.Value, value, $"{path}.{property.Name}");
                }

                foreach (var property in actual.EnumerateObject())
                {
                    Assert.True(expected.TryGetProperty(property.Name, out _), $"{path}.{property.Name} is printed but not documented: {property.Value}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: documented {expected}, printed {actual}");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    AssertSame(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: documented {expected.GetRawText()}, printed {actual.GetRawText()}");
                break;
        }
    }

    public static List<JsonElement> JsonValues(string text)
    {
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            values.Add(JsonElement.ParseValue(ref reader));
        }

        return values;
    }

    public static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static List<(string Language, string Body)> FencedBlocks(string markdown) =>
        [.. Fence().Matches(markdown).Select(match => (match.Groups["lang"].Value, match.Groups["body"].Value))];

    [GeneratedRegex("^```(?<lang>[a-z]*)\\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();
}
