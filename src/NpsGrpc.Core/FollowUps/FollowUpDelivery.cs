using NpsGrpc.Core.Records;

namespace NpsGrpc.Core.FollowUps;

/// <summary>One record leased to one worker, until <see cref="LeaseExpires"/>.</summary>
public sealed record FollowUpDelivery(FollowUpAckId AckId, ResponseRecord Record, DateTimeOffset LeaseExpires)
{
    public int Attempt => AckId.Attempt;
}

/// <summary>
/// One poll of one product for one worker (see IFollowUpStore.PollAsync): <see cref="First"/> on the first poll of a
/// call (the worker gets back the deliveries it holds); <see cref="Allowance"/> bounds what the worker may hold on this
/// product after the poll (its pending count may not grow past it).
/// </summary>
public sealed record FollowUpPollRequest(string ProductId, string Group, string Consumer, bool First, int MaxOutstanding, int Allowance);

/// <summary>
/// What a poll leased: the deliveries (oldest entry first), how many deliveries the worker holds on the product now,
/// and whether more may be waiting than the allowance let through.
/// </summary>
public sealed record FollowUpPoll(IReadOnlyList<FollowUpDelivery> Deliveries, int Pending, bool MoreWaiting);
