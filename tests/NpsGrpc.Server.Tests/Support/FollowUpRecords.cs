using System.Globalization;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>One record to add to a product, as the apply script records a counted response.</summary>
internal sealed record RecordToAdd(DateTimeOffset AnsweredAt, int Score)
{
    public string? Respondent { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Comment { get; init; }

    public string Language { get; init; } = "en";
}

/// <summary>
/// Adds response records in the layout of design-13.md, independently of the apply script, so the follow-up queue is
/// tested against the documented format itself: the id from <c>rec:n</c>, the JSON in <c>rec</c>, the member in
/// <c>rec:idx</c> and the entry <c>id s c</c> in the stream <c>fu</c>, all in one script, as the apply script writes
/// them (a poll that ran between the entry and its record would take the record for erased).
/// </summary>
internal static class FollowUpRecords
{
    private const string AddScript = """
        local id = tostring(redis.call('INCR', KEYS[1]))
        local entry = redis.call('XADD', KEYS[4], '*', 'id', id, 's', ARGV[2], 'c', ARGV[3])
        local record = cjson.decode(ARGV[1])
        record.q = entry
        redis.call('HSET', KEYS[2], id, cjson.encode(record))
        redis.call('ZADD', KEYS[3], 0, ARGV[4] .. ':' .. string.rep('0', 12 - #id) .. id)
        return id
        """;

    public static async Task<string> AddAsync(IDatabase db, string product, RecordToAdd record)
    {
        var tag = $"nps:{{{product}}}";
        var micros = (record.AnsweredAt - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        var hasComment = record.Comment is { Length: > 0 };
        var json = new JsonObject
        {
            ["t"] = micros.ToString(CultureInfo.InvariantCulture),
            ["s"] = record.Score,
            ["g"] = new JsonObject(record.Labels.Select(label => KeyValuePair.Create(label.Key, (JsonNode?)label.Value))),
            ["l"] = record.Language,
            ["x"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["st"] = "c",
        };
        if (record.Respondent is { } respondent)
        {
            json["r"] = respondent;
        }

        if (hasComment)
        {
            json["c"] = record.Comment;
        }

        var id = await db.ScriptEvaluateAsync(
            AddScript,
            [$"{tag}:rec:n", $"{tag}:rec", $"{tag}:rec:idx", $"{tag}:fu"],
            [json.ToJsonString(), record.Score, hasComment ? 1 : 0, micros.ToString("D16", CultureInfo.InvariantCulture)]);
        return id.ToString();
    }

    /// <summary>Adds one record of each score, answered at <paramref name="answeredAt"/>, and returns their ids in order.</summary>
    public static async Task<IReadOnlyList<string>> AddAsync(IDatabase db, string product, DateTimeOffset answeredAt, IEnumerable<int> scores)
    {
        var ids = new List<string>();
        foreach (var score in scores)
        {
            ids.Add(await AddAsync(db, product, new RecordToAdd(answeredAt, score)));
        }

        return ids;
    }

    /// <summary>The record's JSON as kept in <c>rec</c>.</summary>
    public static async Task<JsonObject> ReadAsync(IDatabase db, string product, string id) =>
        JsonNode.Parse((string)(await db.HashGetAsync($"nps:{{{product}}}:rec", id))!)!.AsObject();
}
