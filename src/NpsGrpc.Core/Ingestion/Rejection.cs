namespace NpsGrpc.Core.Ingestion;

/// <summary>Why one response of a batch is not counted.</summary>
public enum RejectionKind
{
    InvalidProductId,
    MissingScore,
    ScoreOutOfRange,
    TooManySegments,
    InvalidSegmentKey,
    InvalidSegmentValue,
    AnsweredAtInFuture,
    AnsweredAtTooOld,
    InvalidRespondentId,
    CommentTooLong,
    CommentInvalidCharacter,
    InvalidLanguageCode,
}

/// <summary>A response that was not counted: its position in the batch, the first offending field, and why.</summary>
public sealed record Rejection(int Index, string Field, string Description, RejectionKind Kind);
