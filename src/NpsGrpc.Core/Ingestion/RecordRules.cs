using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// Which counted answers are kept as response records, and for how long: those with a comment and those of a
/// follow-up category (a team calls them back), answered within <see cref="Retention"/>; a product keeps at most
/// <see cref="MaxPerProduct"/>, the oldest going first. <see cref="TermsPerMonth"/> bounds the distinct stems kept
/// per product, category and month for key terms, and <see cref="TermsKept"/> how long a month's term counts are kept
/// after the month ends.
/// </summary>
public sealed record RecordRules(
    IReadOnlySet<ScoreCategory> FollowUpCategories,
    TimeSpan Retention,
    long MaxPerProduct = RecordRules.DefaultMaxPerProduct,
    int TermsPerMonth = RecordRules.DefaultTermsPerMonth)
{
    public const long DefaultMaxPerProduct = 1_000_000;
    public const int DefaultTermsPerMonth = 20_000;

    /// <summary>Detractors are followed up; records live as long as day tallies, term counts as long as records.</summary>
    public static RecordRules Default { get; } = new(new HashSet<ScoreCategory> { ScoreCategory.Detractor }, DayRetention.DefaultRetention);

    /// <summary>
    /// How long a month's term counts are kept after the month ends; null: as long as records (<see cref="Retention"/>),
    /// since they are derived from what customers wrote, and should go no later than the comments they were read from.
    /// </summary>
    public TimeSpan? TermRetention { get; init; }

    /// <summary>The retention of term counts in effect: <see cref="TermRetention"/>, or the records' when unset.</summary>
    public TimeSpan TermsKept => TermRetention ?? Retention;

    /// <summary>
    /// The oldest UTC month (its first day) whose term counts are kept at <paramref name="now"/>: a month's counts expire
    /// <see cref="TermsKept"/> after it ends, so this is the month <see cref="TermsKept"/> before now.
    /// </summary>
    public DateOnly OldestTermMonth(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime((now - TermsKept).UtcDateTime);
        return new DateOnly(day.Year, day.Month, 1);
    }

    /// <summary>Whether the words of a comment answered on <paramref name="day"/> are counted: its month's counts are kept.</summary>
    public bool AreTermsKept(DateOnly day, DateTimeOffset now) => day >= OldestTermMonth(now);

    /// <summary>When the term counts of the month of <paramref name="day"/> expire: the month's end plus <see cref="TermsKept"/>.</summary>
    public DateTimeOffset TermsExpireAt(DateOnly day) => DayInterval.StartOf(new DateOnly(day.Year, day.Month, 1).AddMonths(1)) + TermsKept;

    /// <summary>Answers before this instant are not recorded, and their records are trimmed.</summary>
    public DateTimeOffset OldestRecorded(DateTimeOffset now) => now - Retention;

    /// <summary>Whether a counted answer is recorded.</summary>
    public bool IsRecorded(int score, bool hasComment, DateTimeOffset answeredAt, DateTimeOffset now) =>
        (hasComment || FollowUpCategories.Contains(ScoreClassifier.Classify(score))) && answeredAt >= OldestRecorded(now);
}
