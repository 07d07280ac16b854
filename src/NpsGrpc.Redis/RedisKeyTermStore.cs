using System.Globalization;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.KeyTerms;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Reads the term hashes of a product's months (see <see cref="RedisKeyLayout.Terms"/>) and sums them here.
/// </summary>
/// <remarks>
/// One pipelined batch of HGETALLs rather than a script: summing up to 36 × 4 hashes of thousands of fields in Lua
/// would hold Redis, single-threaded, for the whole sum, while each HGETALL holds it only for its own hash.
/// A batch that lands between two of the reads can show in one month's hash and not yet in another: a read-only
/// statistic may be one batch off, never wrong by more.
/// </remarks>
public sealed class RedisKeyTermStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options) : IKeyTermStore
{
    private static readonly ScoreCategory[] Categories = [ScoreCategory.Detractor, ScoreCategory.Passive, ScoreCategory.Promoter];

    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);

    public async Task<TermTallies?> GetTermTalliesAsync(string productId, IReadOnlyList<DateOnly> months, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(months);
        var batch = redis.GetDatabase().CreateBatch();
        var exists = batch.KeyExistsAsync(_layout.All(productId));
        var counts = new Task<HashEntry[]>[months.Count * Categories.Length];
        var surfaces = new Task<HashEntry[]>[months.Count];
        for (var m = 0; m < months.Count; m++)
        {
            var month = months[m].ToString("yyyy-MM", CultureInfo.InvariantCulture);
            for (var c = 0; c < Categories.Length; c++)
            {
                counts[(m * Categories.Length) + c] = batch.HashGetAllAsync(_layout.Terms(productId, Categories[c], month));
            }

            surfaces[m] = batch.HashGetAllAsync(_layout.TermSurfaces(productId, month));
        }

        batch.Execute();
        try
        {
            await Task.WhenAll([exists, .. counts, .. surfaces]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw new ScoreStoreUnavailableException($"Redis did not answer the read of key terms: {e.Message}", e);
        }

        if (!exists.Result)
        {
            return null;
        }

        var tallies = new TermTallies();
        for (var i = 0; i < counts.Length; i++)
        {
            AddCounts(tallies[Categories[i % Categories.Length]], counts[i].Result);
        }

        foreach (var month in surfaces)
        {
            AddSurfaces(tallies, month.Result);
        }

        return tallies;
    }

    private static void AddCounts(CategoryTerms terms, HashEntry[] entries)
    {
        foreach (var entry in entries)
        {
            // Only the apply script writes these hashes; a value that is not a count is skipped, not trusted.
            if (!entry.Value.TryParse(out long count))
            {
                continue;
            }

            var field = entry.Name.ToString();
            switch (field)
            {
                case "#comments":
                    terms.AddComments(count);
                    break;
                case "#terms":
                    terms.AddTerms(count);
                    break;
                default:
                    if (!field.StartsWith('#'))
                    {
                        terms.Add(field, count);
                    }

                    break;
            }
        }
    }

    private static void AddSurfaces(TermTallies tallies, HashEntry[] entries)
    {
        foreach (var entry in entries)
        {
            var field = entry.Name.ToString();
            var space = field.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && space < field.Length - 1 && entry.Value.TryParse(out long count))
            {
                tallies.AddSurface(field[..space], field[(space + 1)..], count);
            }
        }
    }
}
