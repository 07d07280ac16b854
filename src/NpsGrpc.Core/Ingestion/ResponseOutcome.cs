namespace NpsGrpc.Core.Ingestion;

/// <summary>What one response of a batch did to the tallies.</summary>
public enum ResponseOutcome
{
    Counted,
    Replaced,
    Superseded,
    Rejected,

    /// <summary>Its product had applied this writer sequence already (an earlier delivery): not counted again.</summary>
    AlreadyApplied,
}

/// <summary>
/// An answer of a known respondent. It cannot be folded with others: whether it counts, and what it must take
/// out of the tallies, depends on the respondent's stored answer, which only the store can read atomically. So its
/// record (when <see cref="Recorded"/>) and its comment's terms (<see cref="Terms"/>, null when none are counted) go
/// with it, written only if it is applied.
/// </summary>
public sealed record RespondentAnswer(
    int Index,
    string RespondentId,
    int Score,
    DateTimeOffset AnsweredAt,
    IReadOnlyList<Validation.SegmentLabel> Labels,
    bool DayCounted,
    string? Comment = null,
    string Language = FoldContext.ContractDefaultLanguage,
    bool Recorded = false,
    TermTally? Terms = null);

/// <summary>An answer without a respondent that is kept as a response record (see <see cref="RecordRules"/>).</summary>
public sealed record AnswerRecord(
    DateTimeOffset AnsweredAt,
    int Score,
    IReadOnlyList<Validation.SegmentLabel> Labels,
    string? Comment,
    string Language);
