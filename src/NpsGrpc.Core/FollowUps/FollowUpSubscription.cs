using System.Globalization;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.FollowUps;

/// <summary>
/// A worker's StreamFollowUps call, validated: which group it works for, its own consumer name, the products, the
/// group's settings (taken when the call creates the group on a product, checked against it otherwise), where a new
/// group starts, and how many deliveries the worker holds unacknowledged at most.
/// </summary>
public sealed record FollowUpSubscription(
    string Group,
    string Consumer,
    IReadOnlyList<string> ProductIds,
    FollowUpGroupSettings Settings,
    DateTimeOffset? StartTime,
    int MaxOutstanding)
{
    public const int DefaultMaxOutstanding = 100;
    public const int MaxMaxOutstanding = 1000;

    /// <summary>
    /// Validates a call, adding each problem to <paramref name="violations"/>; returns null when there was one.
    /// <paramref name="visibilityTimeout"/> null means the default; <paramref name="maxOutstanding"/> 0 means the default.
    /// The categories are already known ones (the caller names unknown enum values itself).
    /// </summary>
    public static FollowUpSubscription? TryParse(
        string group,
        string consumer,
        IReadOnlyList<string> productIds,
        IEnumerable<ScoreCategory> categories,
        bool onlyWithComment,
        TimeSpan? visibilityTimeout,
        DateTimeOffset? startTime,
        int maxOutstanding,
        List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        FollowUpNames.Validate(group, "group", violations);
        FollowUpNames.Validate(consumer, "consumer", violations);
        ProductIdList.Validate(productIds, "product_ids", violations);

        var visibility = visibilityTimeout ?? FollowUpGroupSettings.DefaultVisibilityTimeout;
        if (visibility < FollowUpGroupSettings.MinVisibilityTimeout || visibility > FollowUpGroupSettings.MaxVisibilityTimeout)
        {
            violations.Add(new FieldViolation(
                "visibility_timeout",
                $"visibility_timeout must be 10 s to 12 h; got {visibility.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture)} s."));
        }

        if (maxOutstanding is < 0 or > MaxMaxOutstanding)
        {
            violations.Add(new FieldViolation("max_outstanding", $"max_outstanding must be 1 to {MaxMaxOutstanding} (0 means {DefaultMaxOutstanding}); got {maxOutstanding}."));
        }

        if (violations.Count > before)
        {
            return null;
        }

        return new FollowUpSubscription(
            group,
            consumer,
            productIds,
            new FollowUpGroupSettings(categories, onlyWithComment, visibility),
            startTime,
            maxOutstanding == 0 ? DefaultMaxOutstanding : maxOutstanding);
    }
}
