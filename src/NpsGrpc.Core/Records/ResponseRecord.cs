using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.Records;

/// <summary>Whether a recorded answer still counts in the tallies.</summary>
public enum RecordState
{
    /// <summary>The answer counts.</summary>
    Counted,

    /// <summary>The respondent answered again later and that answer replaced this one in every tally.</summary>
    Replaced,
}

/// <summary>What a follow-up worker did with a record; the numbers are the contract's (nps.v1.FollowUpOutcome).</summary>
public enum FollowUpOutcome
{
    Unspecified = 0,
    Contacted = 1,
    Resolved = 2,
    NotReached = 3,
    NoActionNeeded = 4,
    Escalated = 5,
}

/// <summary>One follow-up group's acknowledgement of a record.</summary>
public sealed record FollowUpResult(string Group, string Consumer, FollowUpOutcome Outcome, string Note, DateTimeOffset DoneTime);

/// <summary>
/// One counted response as the server keeps it: who answered, when (to the microsecond), the score, the labels, what
/// they wrote, whether it still counts and what follow-up teams did about it.
/// </summary>
public sealed record ResponseRecord(
    string RecordId,
    string ProductId,
    int Score,
    DateTimeOffset AnsweredAt,
    string? RespondentId,
    IReadOnlyDictionary<string, string> Segments,
    string? Comment,
    string LanguageCode,
    RecordState State,
    DateTimeOffset RecordTime,
    IReadOnlyList<FollowUpResult> FollowUps)
{
    public ScoreCategory Category => ScoreClassifier.Classify(Score);
}
