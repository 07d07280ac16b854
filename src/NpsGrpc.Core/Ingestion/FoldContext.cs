using NpsGrpc.Core.Text;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// What folding a batch needs to know besides the batch: the receive time, how long day buckets live, and how many
/// segment labels a response may carry (the configured limit, at most the contract's 16); which answers are
/// recorded, the language of a comment that names none, and the analyzer that reads comments into key terms
/// (null: terms are not counted).
/// </summary>
public sealed record FoldContext(DateTimeOffset Now, DayRetention Retention, int MaxSegmentsPerResponse = IngestionLimits.MaxSegmentsPerResponse)
{
    /// <summary>Answers may be stamped a little ahead of the server's clock (clock skew), not more.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Nothing is older than the product.</summary>
    public static readonly DateTimeOffset EarliestAnswer = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The language of a comment that names none: the contract's default unless configured otherwise.</summary>
    public const string ContractDefaultLanguage = "en";

    public RecordRules Records { get; init; } = RecordRules.Default;

    /// <summary>A valid language tag (checked where it is configured).</summary>
    public string DefaultLanguage { get; init; } = ContractDefaultLanguage;

    public ICommentAnalyzer? Analyzer { get; init; }
}
