using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Writes term hashes as the documented key layout of issue 13 has them, as the apply script would.</summary>
internal static class TermHashes
{
    /// <summary><c>nps:{product}:t:category:month</c>: each stem's count, <c>#comments</c>, and <c>#terms</c> (their sum).</summary>
    public static async Task WriteCountsAsync(
        IDatabase redis, string product, char category, string month, long comments, params (string Stem, long Count)[] terms)
    {
        var key = $"nps:{{{product}}}:t:{category}:{month}";
        await redis.HashSetAsync(key, [.. terms.Select(term => new HashEntry(term.Stem, term.Count))]);
        await redis.HashSetAsync(key, [new("#comments", comments), new("#terms", terms.Sum(term => term.Count))]);
    }

    /// <summary><c>nps:{product}:tf:month</c>: <c>stem surface</c> → count.</summary>
    public static Task WriteSurfacesAsync(IDatabase redis, string product, string month, params (string Field, long Count)[] surfaces) =>
        redis.HashSetAsync($"nps:{{{product}}}:tf:{month}", [.. surfaces.Select(surface => new HashEntry(surface.Field, surface.Count))]);
}
