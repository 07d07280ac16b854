using NpsGrpc.Core.KeyTerms;

namespace NpsGrpc.Core.Storage;

/// <summary>Where the term counts of GetKeyTerms are read from (the apply script writes them with the tallies).</summary>
public interface IKeyTermStore
{
    /// <summary>
    /// The term counts of <paramref name="productId"/> summed over <paramref name="months"/> (each its first day), read
    /// in one round trip; null when the product has never been counted at all. Months without comments add nothing.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<TermTallies?> GetTermTalliesAsync(string productId, IReadOnlyList<DateOnly> months, CancellationToken cancellationToken);
}
