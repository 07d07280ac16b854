using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.FollowUps;

/// <summary>
/// What belongs to a follow-up group on a product, fixed when the group is created there: the filter (categories,
/// only records with a comment) and how long a delivery stays leased to its worker.
/// </summary>
public sealed class FollowUpGroupSettings : IEquatable<FollowUpGroupSettings>
{
    public static readonly TimeSpan MinVisibilityTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);
    public static readonly TimeSpan DefaultVisibilityTimeout = TimeSpan.FromMinutes(5);

    public FollowUpGroupSettings(IEnumerable<ScoreCategory> categories, bool onlyWithComment, TimeSpan visibilityTimeout)
    {
        var chosen = categories.ToHashSet();
        Categories = chosen.Count == 0 ? new HashSet<ScoreCategory> { ScoreCategory.Detractor } : chosen;
        OnlyWithComment = onlyWithComment;
        VisibilityTimeout = visibilityTimeout;
    }

    /// <summary>The categories of the records the group handles; never empty (none named means detractors).</summary>
    public IReadOnlySet<ScoreCategory> Categories { get; }

    public bool OnlyWithComment { get; }

    public TimeSpan VisibilityTimeout { get; }

    public bool Matches(int score, bool hasComment) =>
        Categories.Contains(ScoreClassifier.Classify(score)) && (hasComment || !OnlyWithComment);

    /// <summary>The settings as an error message names them, e.g. <c>categories detractor,passive, only with a comment, visibility 300 s</c>.</summary>
    public override string ToString() =>
        $"categories {string.Join(',', Categories.Order().Select(category => category.ToString().ToLowerInvariant()))}, "
        + $"{(OnlyWithComment ? "only with a comment" : "with or without a comment")}, visibility {VisibilityTimeout.TotalSeconds:0.###} s";

    public bool Equals(FollowUpGroupSettings? other) =>
        other is not null && Categories.SetEquals(other.Categories) && OnlyWithComment == other.OnlyWithComment && VisibilityTimeout == other.VisibilityTimeout;

    public override bool Equals(object? obj) => Equals(obj as FollowUpGroupSettings);

    public override int GetHashCode() =>
        HashCode.Combine(Categories.Aggregate(0, (bits, category) => bits | (1 << (int)category)), OnlyWithComment, VisibilityTimeout);
}
