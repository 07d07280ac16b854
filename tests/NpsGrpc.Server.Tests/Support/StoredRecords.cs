using System.Text.Json;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>One response record as the apply script stored it (design-13.md's JSON), read with plain Redis commands.</summary>
internal sealed record StoredRecord(
    string Id,
    string AnsweredAtMicros,
    int Score,
    string? Respondent,
    IReadOnlyDictionary<string, string> Labels,
    string? Comment,
    string Language,
    string RecordTimeMillis,
    string State,
    string StreamId)
{
    public static StoredRecord Parse(string id, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Optional(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        var labels = root.TryGetProperty("g", out var g)
            ? g.EnumerateObject().ToDictionary(pair => pair.Name, pair => pair.Value.GetString()!)
            : [];
        return new StoredRecord(
            id,
            root.GetProperty("t").GetString()!,
            root.GetProperty("s").GetInt32(),
            Optional("r"),
            labels,
            Optional("c"),
            root.GetProperty("l").GetString()!,
            root.GetProperty("x").GetString()!,
            root.GetProperty("st").GetString()!,
            root.GetProperty("q").GetString()!);
    }

    public DateTimeOffset AnsweredAt => DateTimeOffset.UnixEpoch.AddTicks(long.Parse(AnsweredAtMicros, System.Globalization.CultureInfo.InvariantCulture) * 10);
}

/// <summary>Everything a product's records left in Redis: the records hash, the index and the follow-up stream.</summary>
internal static class StoredRecords
{
    public static string Key(string product, string suffix) => $"nps:{{{product}}}:{suffix}";

    /// <summary>The product's records by id, oldest id first.</summary>
    public static async Task<IReadOnlyList<StoredRecord>> ReadAsync(IDatabase db, string product) =>
        [.. (await db.HashGetAllAsync(Key(product, "rec")))
            .Select(entry => StoredRecord.Parse(entry.Name!, entry.Value!))
            .OrderBy(record => long.Parse(record.Id, System.Globalization.CultureInfo.InvariantCulture))];

    public static async Task<IReadOnlyList<string>> IndexAsync(IDatabase db, string product) =>
        [.. (await db.SortedSetRangeByRankAsync(Key(product, "rec:idx"))).Select(member => (string)member!)];

    /// <summary>The follow-up stream's entries: (entry id, record id, score, has comment).</summary>
    public static async Task<IReadOnlyList<(string EntryId, string RecordId, int Score, bool HasComment)>> StreamAsync(IDatabase db, string product) =>
        [.. (await db.StreamRangeAsync(Key(product, "fu"))).Select(entry => (
            (string)entry.Id!,
            (string)entry["id"]!,
            (int)entry["s"],
            (string)entry["c"]! == "1"))];

    /// <summary>The index member of a record: answered_at µs in 16 digits, ':', the id in 12.</summary>
    public static string Member(StoredRecord record) => $"{record.AnsweredAtMicros.PadLeft(16, '0')}:{record.Id.PadLeft(12, '0')}";
}
