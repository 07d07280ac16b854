using System.Globalization;
using NpsGrpc.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests.KeyTerms;

/// <summary>What a month's term hash costs in Redis memory, per stem, printed for the benchmark notes.</summary>
public sealed class TermMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(20000)]
    public async Task A_term_hash_costs_tens_of_bytes_per_stem(int stems)
    {
        var db = await _redis.AdminAsync();
        var key = (RedisKey)$"nps:{{memory}}:t:D:2026-11:{stems}";
        // Stems of 4 to 12 letters, counts mostly small as in comments (Zipf-like: a few common words, many rare).
        var random = new Random(stems);
        var entries = Enumerable.Range(0, stems)
            .Select(i => new HashEntry(Stem(random, i), 1 + (1000 / (i + 1))))
            .Append(new HashEntry("#comments", 12345))
            .Append(new HashEntry("#terms", 67890))
            .ToArray();
        foreach (var chunk in entries.Chunk(1000))
        {
            await db.HashSetAsync(key, chunk);
        }

        var bytes = (long)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
        var encoding = (string?)await db.ExecuteAsync("OBJECT", "ENCODING", key);
        var perStem = (double)bytes / stems;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stems} stems: {bytes} bytes ({encoding}), {perStem:F1} bytes per stem"));

        Assert.Equal(stems + 2, await db.HashLengthAsync(key));
        Assert.InRange(perStem, 8, 120);
    }

    private static string Stem(Random random, int i)
    {
        var letters = new char[random.Next(4, 13)];
        for (var c = 0; c < letters.Length; c++)
        {
            letters[c] = (char)('a' + random.Next(26));
        }

        // The index keeps every stem distinct.
        return new string(letters) + i.ToString(CultureInfo.InvariantCulture);
    }
}
