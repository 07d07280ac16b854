using Grpc.Core;
using NpsGrpc.V1;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// The 0–10 counts every product and segment label must hold, counted locally from the responses a test sent, and
/// compared with what the server reports and with the tally hashes in Redis.
/// </summary>
internal sealed class ExpectedTallies
{
    private readonly Dictionary<(string Product, string Segment), long[]> _counts = [];

    /// <summary>By product and segment label (<c>key=value</c>; empty for the whole product).</summary>
    public IReadOnlyDictionary<(string Product, string Segment), long[]> Counts => _counts;

    /// <summary>Responses counted for whole products.</summary>
    public long Total => _counts.Where(pair => pair.Key.Segment.Length == 0).Sum(pair => pair.Value.Sum());

    /// <summary>The counts of one tally; all zeros when nothing was counted for it.</summary>
    public long[] Of(string product, string segment) =>
        _counts.TryGetValue((product, segment), out var counts) ? [.. counts] : new long[11];

    /// <summary>Counts a valid response without a respondent: once for its product and once for each label.</summary>
    public void Add(SurveyResponse response)
    {
        Count(response.ProductId, string.Empty, response.Score);
        foreach (var (key, value) in response.Segments)
        {
            Count(response.ProductId, $"{key}={value}", response.Score);
        }
    }

    /// <summary>Adds another local count, e.g. one writer's, into this one.</summary>
    public void Add(ExpectedTallies other)
    {
        foreach (var ((product, segment), counts) in other._counts)
        {
            for (var score = 0; score < counts.Length; score++)
            {
                Count(product, segment, score, counts[score]);
            }
        }
    }

    public void Add(IEnumerable<SubmitResponsesRequest> batches)
    {
        foreach (var response in batches.SelectMany(batch => batch.Responses))
        {
            Add(response);
        }
    }

    /// <summary>Every tally whose GetScore distribution differs from the local count, described; empty when all match.</summary>
    public async Task<List<string>> MismatchesAsync(NpsService.NpsServiceClient client)
    {
        var mismatches = new List<string>();
        foreach (var ((product, segment), counts) in _counts)
        {
            var score = (await client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = segment })).Score;
            Describe(mismatches, "GetScore", product, segment, counts, [.. score.Distribution]);
        }

        return mismatches;
    }

    /// <summary>The same comparison against the tally hashes themselves, read from Redis without the server.</summary>
    public async Task<List<string>> MismatchesInRedisAsync(IDatabase redis)
    {
        var mismatches = new List<string>();
        foreach (var ((product, segment), counts) in _counts)
        {
            Describe(mismatches, "Redis", product, segment, counts, await InRedisAsync(redis, product, segment));
        }

        return mismatches;
    }

    /// <summary>Asserts that both the server and Redis hold exactly the local counts.</summary>
    public async Task AssertExactAsync(NpsService.NpsServiceClient client, IDatabase redis)
    {
        Assert.Empty(await MismatchesAsync(client));
        Assert.Empty(await MismatchesInRedisAsync(redis));
    }

    /// <summary>The 0–10 counts of a tally hash (<c>nps:{product}:all</c> or <c>nps:{product}:seg:key=value</c>).</summary>
    public static Task<long[]> InRedisAsync(IDatabase redis, string product, string segment) =>
        HashAsync(redis, segment.Length == 0 ? $"nps:{{{product}}}:all" : $"nps:{{{product}}}:seg:{segment}");

    /// <summary>The 0–10 counts of any tally hash, all zeros when the key does not exist.</summary>
    public static async Task<long[]> HashAsync(IDatabase redis, string key)
    {
        var counts = new long[11];
        foreach (var entry in await redis.HashGetAllAsync(key))
        {
            counts[(int)entry.Name] = (long)entry.Value;
        }

        return counts;
    }

    /// <summary>Reads a score, taking NOT_FOUND (nothing counted yet) as all zeros.</summary>
    public static async Task<long[]> FromServerAsync(NpsService.NpsServiceClient client, string product, string segment)
    {
        try
        {
            return [.. (await client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = segment })).Score.Distribution];
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return new long[11];
        }
    }

    private static void Describe(List<string> mismatches, string source, string product, string segment, long[] expected, long[] actual)
    {
        if (!actual.SequenceEqual(expected))
        {
            mismatches.Add($"{source} {product} {segment}: expected [{string.Join(',', expected)}], got [{string.Join(',', actual)}]");
        }
    }

    private void Count(string product, string segment, int score, long times = 1)
    {
        if (!_counts.TryGetValue((product, segment), out var counts))
        {
            counts = new long[11];
            _counts.Add((product, segment), counts);
        }

        counts[score] += times;
    }
}
