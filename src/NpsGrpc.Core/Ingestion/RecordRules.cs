using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// Which counted answers are kept as response records, and for how long: those with a comment and those of a
/// follow-up category (a team calls them back), answered within <see cref="Retention"/>; a product keeps at most
/// <see cref="MaxPerProduct"/>, the oldest going first. <see cref="TermsPerMonth"/> bounds the distinct stems kept
/// per product, category and month for key terms.
/// </summary>
public sealed record RecordRules(
    IReadOnlySet<ScoreCategory> FollowUpCategories,
    TimeSpan Retention,
    long MaxPerProduct = RecordRules.DefaultMaxPerProduct,
    int TermsPerMonth = RecordRules.DefaultTermsPerMonth)
{
    public const long DefaultMaxPerProduct = 1_000_000;
    public const int DefaultTermsPerMonth = 20_000;

    /// <summary>Detractors are followed up; records live as long as day tallies.</summary>
    public static RecordRules Default { get; } = new(new HashSet<ScoreCategory> { ScoreCategory.Detractor }, DayRetention.DefaultRetention);

    /// <summary>Answers before this instant are not recorded, and their records are trimmed.</summary>
    public DateTimeOffset OldestRecorded(DateTimeOffset now) => now - Retention;

    /// <summary>Whether a counted answer is recorded.</summary>
    public bool IsRecorded(int score, bool hasComment, DateTimeOffset answeredAt, DateTimeOffset now) =>
        (hasComment || FollowUpCategories.Contains(ScoreClassifier.Classify(score))) && answeredAt >= OldestRecorded(now);
}
