using System.Globalization;
using System.Text.Json;
using NpsGrpc.Core.Records;

namespace NpsGrpc.Redis;

/// <summary>
/// Reads a record as the apply script writes it (cjson.encode): <c>t</c> answered_at µs and <c>x</c> record time ms as
/// decimal strings (cjson prints numbers with 14 significant digits), <c>s</c> score, <c>r</c> respondent, <c>g</c>
/// labels, <c>c</c> comment, <c>l</c> language, <c>st</c> "c" counted or "r" replaced, <c>f</c> follow-up results.
/// cjson writes an empty Lua table as <c>{}</c>, so an empty <c>g</c> or <c>f</c> may be either object or array.
/// </summary>
internal static class RecordJson
{
    public static ResponseRecord Parse(string productId, string recordId, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ResponseRecord(
            recordId,
            productId,
            root.GetProperty("s").GetInt32(),
            DateTimeOffset.UnixEpoch.AddTicks(Integer(root.GetProperty("t")) * TimeSpan.TicksPerMicrosecond),
            Text(root, "r"),
            Labels(root),
            Text(root, "c"),
            Text(root, "l") ?? string.Empty,
            Text(root, "st") == "r" ? RecordState.Replaced : RecordState.Counted,
            DateTimeOffset.FromUnixTimeMilliseconds(Integer(root.GetProperty("x"))),
            FollowUps(root));
    }

    private static Dictionary<string, string> Labels(JsonElement root)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("g", out var g) && g.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in g.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? string.Empty;
            }
        }

        return labels;
    }

    private static IReadOnlyList<FollowUpResult> FollowUps(JsonElement root)
    {
        if (!root.TryGetProperty("f", out var f) || f.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. f.EnumerateArray().Select(result => new FollowUpResult(
            Text(result, "g") ?? string.Empty,
            Text(result, "w") ?? string.Empty,
            result.TryGetProperty("o", out var outcome) ? (FollowUpOutcome)(int)Integer(outcome) : FollowUpOutcome.Unspecified,
            Text(result, "n") ?? string.Empty,
            DateTimeOffset.FromUnixTimeMilliseconds(result.TryGetProperty("d", out var done) ? Integer(done) : 0)))];
    }

    /// <summary>A string property; null when absent, null or empty.</summary>
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>An integer written as a decimal string (exact past 2^53) or, small enough, as a number.</summary>
    private static long Integer(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
        : value.GetInt64();
}
