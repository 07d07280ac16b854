using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Storage;

/// <summary>Where tallies live. Implementations apply each product's increments atomically.</summary>
public interface IScoreStore
{
    /// <summary>
    /// Applies, in one atomic step, the shares of one product that several batches (of any writers) carry: each share
    /// whose writer applied its sequence to the product already, or whose predecessor is not applied, is taken out and
    /// the others are applied together, each all or nothing and at most once per writer sequence. Returns one outcome
    /// per share, in order. Replicas are not awaited here: see <see cref="AwaitReplicasAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A respondent answers in two of the shares.</exception>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached; none or all of the shares applied.</exception>
    /// <exception cref="ScoreStoreConflictException">Other writers kept replacing answers of the same respondents; nothing applied.</exception>
    Task<IReadOnlyList<ShareOutcome>> ApplySharesAsync(string productId, IReadOnlyList<ProductShare> shares, CancellationToken cancellationToken);

    /// <summary>
    /// Returns once what was applied to these products is on as many replicas as the store's configuration requires
    /// (at once when it requires none), so an acknowledgement survives the loss of a primary.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">Too few replicas confirmed in time.</exception>
    Task AwaitReplicasAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken);

    /// <summary>Reads the histogram of a product or segment in one round trip; null when it has never been counted.</summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<ScoreDistribution?> GetDistributionAsync(ScoreQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Reads, in one round trip, the sum of each group of time buckets of a product or segment; null when it has
    /// never been counted at all. A group whose buckets are all empty sums to an empty distribution.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<IReadOnlyList<ScoreDistribution>?> GetWindowsAsync(ScoreQuery query, IReadOnlyList<IReadOnlyList<TimeBucket>> windows, CancellationToken cancellationToken);

    /// <summary>Every segment label a product has seen with its all-time histogram; null for an unknown product.</summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<IReadOnlyList<(SegmentLabel Label, ScoreDistribution Distribution)>?> GetSegmentsAsync(string productId, CancellationToken cancellationToken);

    /// <summary>True when the store answers right now.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What applying a batch did: how many products were applied now, how many had applied this sequence already
/// (<see cref="AlreadyAppliedProducts"/> says which, by position in the batch's products), and, by request index,
/// what each respondent's answer did (replaced an earlier one, or was superseded).
/// </summary>
public readonly record struct ApplyOutcome(
    int AppliedProducts,
    int DuplicateProducts,
    IReadOnlyDictionary<int, ResponseOutcome>? RespondentOutcomes = null,
    IReadOnlySet<int>? AlreadyAppliedProducts = null)
{
    /// <summary>True when the batch touched products and every one of them had already applied it.</summary>
    public bool IsDuplicate => DuplicateProducts > 0 && AppliedProducts == 0;

    /// <summary>True when the product at <paramref name="product"/> had applied this writer sequence before.</summary>
    public bool WasAlreadyApplied(int product) => IsDuplicate || (AlreadyAppliedProducts?.Contains(product) ?? false);

    /// <summary>
    /// A batch's outcome from the outcomes of its products' shares (one per product, in order).
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">A share's predecessor was not applied.</exception>
    public static ApplyOutcome FromShares(WriterStamp? writer, IReadOnlyList<ProductIncrements> products, IReadOnlyList<ShareOutcome> shares)
    {
        var applied = 0;
        string? overtaken = null;
        Dictionary<int, ResponseOutcome>? respondentOutcomes = null;
        HashSet<int>? alreadyApplied = null;
        for (var i = 0; i < shares.Count; i++)
        {
            switch (shares[i].Verdict)
            {
                case ShareVerdict.PredecessorNotApplied:
                    overtaken ??= products[i].ProductId;
                    break;
                case ShareVerdict.AlreadyApplied:
                    (alreadyApplied ??= []).Add(i);
                    break;
                default:
                    applied++;
                    if (shares[i].RespondentOutcomes is { } outcomes)
                    {
                        foreach (var (index, outcome) in outcomes)
                        {
                            (respondentOutcomes ??= [])[index] = outcome;
                        }
                    }

                    break;
            }
        }

        if (overtaken is not null)
        {
            throw new ScoreStoreUnavailableException(
                $"An earlier batch of writer '{writer?.WriterId}' was not applied to product '{overtaken}', so batch {writer?.Sequence} was not applied to it either.");
        }

        return new ApplyOutcome(applied, products.Count - applied, respondentOutcomes, alreadyApplied);
    }
}

/// <summary>
/// Other writers kept replacing answers of the batch's respondents while it was being applied, through every attempt
/// the store makes; those products were not applied. Re-sending later with the same writer stamp is safe.
/// </summary>
public sealed class ScoreStoreConflictException(string message) : Exception(message);

/// <summary>The store did not answer (down, unreachable, timed out). Retrying later with the same writer stamp is safe.</summary>
public sealed class ScoreStoreUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// One batch's increments to one product, with the batch's writer stamp (null: no writer, at-least-once) and the
/// writer's sequence that must already be applied to the product (0: none).
/// </summary>
public sealed record ProductShare(WriterStamp? Writer, ProductIncrements Increments, long Predecessor = 0);

/// <summary>What the store did with one share.</summary>
public enum ShareVerdict
{
    /// <summary>Applied now.</summary>
    Applied,

    /// <summary>Its writer had applied this sequence (or a later one) to the product already: nothing was done again.</summary>
    AlreadyApplied,

    /// <summary>Its predecessor was not applied (that batch failed), so it was not applied either.</summary>
    PredecessorNotApplied,
}

/// <summary>
/// What applying one share did, and for an applied share what each respondent's answer did, by request index of the
/// share's batch (an answer not named was counted).
/// </summary>
public readonly record struct ShareOutcome(ShareVerdict Verdict, IReadOnlyDictionary<int, ResponseOutcome>? RespondentOutcomes = null);
