using NpsGrpc.Core.FollowUps;

namespace NpsGrpc.Core.Storage;

/// <summary>The follow-up lease queue: groups on each product's stream of records, leases, acknowledgements, backlogs.</summary>
public interface IFollowUpStore
{
    /// <summary>
    /// Creates the group on every product where it does not exist yet, with the subscription's settings, starting
    /// at its start time (now when it names none); checks them where it does.
    /// </summary>
    /// <exception cref="FollowUpGroupMismatchException">The group exists on a product with other settings; nothing was created then.</exception>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached; the group may exist on some products.</exception>
    Task OpenAsync(FollowUpSubscription subscription, CancellationToken cancellationToken);

    /// <summary>
    /// Leases to the consumer, in one atomic step on the product: its own expired deliveries again, on the first poll
    /// all its own deliveries again, expired deliveries of other consumers (its own expired ones only a grace period later, so
    /// another worker takes them first where there is one), then new records matching the group's
    /// filter, while its pending count stays within the allowance. Records not matching are passed over for good.
    /// </summary>
    /// <exception cref="FollowUpGroupNotFoundException">The group no longer exists on the product.</exception>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<FollowUpPoll> PollAsync(FollowUpPollRequest request, CancellationToken cancellationToken);

    /// <summary>Marks deliveries done, each product atomically; returns what became of each, in order. Idempotent.</summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached; some products may have been acknowledged.</exception>
    Task<IReadOnlyList<AcknowledgementResult>> AcknowledgeAsync(IReadOnlyList<FollowUpAcknowledgement> acknowledgements, CancellationToken cancellationToken);

    /// <summary>Reads the group's backlog on each product, in order.</summary>
    /// <exception cref="FollowUpGroupNotFoundException">The group was never created on one of the products.</exception>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<IReadOnlyList<FollowUpBacklog>> GetBacklogAsync(FollowUpBacklogQuery query, CancellationToken cancellationToken);
}
