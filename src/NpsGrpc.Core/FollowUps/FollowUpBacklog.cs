using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.FollowUps;

/// <summary>A GetFollowUpBacklog call, validated: the group, its products and the interval [start, end) of done times.</summary>
public sealed record FollowUpBacklogQuery(string Group, IReadOnlyList<string> ProductIds, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The interval when the call names no start: the 30 days before its end.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromDays(30);

    /// <summary>Validates a call, adding each problem to <paramref name="violations"/>; returns null when there was one.</summary>
    public static FollowUpBacklogQuery? TryParse(
        string group, IReadOnlyList<string> productIds, DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        FollowUpNames.Validate(group, "group", violations);
        ProductIdList.Validate(productIds, "product_ids", violations);
        var intervalEnd = end ?? now;
        var intervalStart = start ?? (intervalEnd - DefaultInterval);
        if (intervalEnd <= intervalStart)
        {
            violations.Add(new FieldViolation("end_time", "end_time must be after start_time; the interval is [start_time, end_time)."));
        }

        return violations.Count > before ? null : new FollowUpBacklogQuery(group, productIds, intervalStart, intervalEnd);
    }
}

/// <summary>
/// Where a group stands on one product: records waiting for a worker, delivered and not acknowledged, acknowledged
/// (all time), when the oldest waiting one was answered, and the times from answer to done of those done in the interval.
/// </summary>
public sealed record FollowUpBacklog(
    string ProductId,
    long Waiting,
    long InProgress,
    long Done,
    DateTimeOffset? OldestWaitingAnsweredAt,
    long DoneInInterval,
    TimeSpan? MedianTimeToDone);
