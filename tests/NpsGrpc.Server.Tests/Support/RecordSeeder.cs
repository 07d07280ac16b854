using System.Globalization;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>One record to seed, as the apply script would record it.</summary>
internal sealed record SeedRecord(DateTimeOffset AnsweredAt, int Score)
{
    public string? Respondent { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Comment { get; init; }

    public string Language { get; init; } = "en";

    public bool Replaced { get; init; }

    /// <summary>Follow-up results written into "f" as JSON objects (g, w, o, n, d).</summary>
    public IReadOnlyList<JsonObject> FollowUps { get; init; } = [];

    /// <summary>answered_at in µs; overrides <see cref="AnsweredAt"/> to set sub-tick-exact values.</summary>
    public long? AnsweredAtMicros { get; init; }

    public long Micros => AnsweredAtMicros ?? (AnsweredAt - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}

/// <summary>
/// Writes response records with StackExchange.Redis in the layout of design-13.md, independently of the apply
/// script, so the read and erase paths are tested against the documented format itself: an id from
/// <c>rec:n</c>, the stream entry in <c>fu</c>, the JSON in <c>rec</c>, the member in <c>rec:idx</c> and the
/// respondent's <c>rec</c> and <c>cr</c> fields.
/// </summary>
internal static class RecordSeeder
{
    /// <summary>
    /// Seeds <paramref name="records"/> (ids in their order), at most <paramref name="concurrency"/> at a time: thousands
    /// sent at once queue a few commands each behind one another, and on a loaded machine the last ones wait past the
    /// client's 5 s timeout before Redis has even read them.
    /// </summary>
    public static async Task<string[]> AddManyAsync(IDatabase db, string product, IEnumerable<SeedRecord> records, int concurrency = 32)
    {
        using var gate = new SemaphoreSlim(concurrency);
        return await Task.WhenAll(records.Select(async record =>
        {
            await gate.WaitAsync();
            try
            {
                return await AddAsync(db, product, record);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    public static async Task<string> AddAsync(IDatabase db, string product, SeedRecord record)
    {
        var tag = $"nps:{{{product}}}";
        var id = (await db.StringIncrementAsync($"{tag}:rec:n")).ToString(CultureInfo.InvariantCulture);
        var hasComment = record.Comment is { Length: > 0 };
        var entry = (string)(await db.StreamAddAsync($"{tag}:fu", [new("id", id), new("s", record.Score), new("c", hasComment ? 1 : 0)]))!;
        var json = new JsonObject
        {
            ["t"] = record.Micros.ToString(CultureInfo.InvariantCulture),
            ["s"] = record.Score,
            ["g"] = new JsonObject(record.Labels.Select(label => KeyValuePair.Create(label.Key, (JsonNode?)label.Value))),
            ["l"] = record.Language,
            ["x"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["st"] = record.Replaced ? "r" : "c",
            ["q"] = entry,
        };
        if (record.Respondent is { } respondent)
        {
            json["r"] = respondent;
        }

        if (hasComment)
        {
            json["c"] = record.Comment;
        }

        if (record.FollowUps.Count > 0)
        {
            json["f"] = new JsonArray([.. record.FollowUps.Select(result => (JsonNode)result.DeepClone())]);
        }

        var transaction = db.CreateTransaction();
        _ = transaction.HashSetAsync($"{tag}:rec", id, json.ToJsonString());
        _ = transaction.SortedSetAddAsync($"{tag}:rec:idx", Member(record.Micros, id), 0);
        if (record.Respondent is { } who)
        {
            var state = $"{tag}:r:{who}";
            var earlier = (string?)await db.HashGetAsync(state, "rec");
            _ = transaction.HashSetAsync(state, [new("rec", string.IsNullOrEmpty(earlier) ? id : $"{earlier} {id}"), new("cr", id)]);
        }

        Assert.True(await transaction.ExecuteAsync(), "The seeding transaction was not executed.");
        return id;
    }

    public static string Member(long micros, string id) =>
        $"{micros.ToString("D16", CultureInfo.InvariantCulture)}:{long.Parse(id, CultureInfo.InvariantCulture).ToString("D12", CultureInfo.InvariantCulture)}";

    /// <summary>A JSON object of a follow-up result as the follow-up path writes it.</summary>
    public static JsonObject FollowUp(string group, string consumer, int outcome, string note, DateTimeOffset done) => new()
    {
        ["g"] = group,
        ["w"] = consumer,
        ["o"] = outcome,
        ["n"] = note,
        ["d"] = done.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };
}
