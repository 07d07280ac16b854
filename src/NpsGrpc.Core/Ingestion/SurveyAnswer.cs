namespace NpsGrpc.Core.Ingestion;

/// <summary>One survey response as the domain sees it. Segments are borrowed, not copied, from the caller.</summary>
public readonly record struct SurveyAnswer(
    string ProductId,
    int? Score,
    IReadOnlyDictionary<string, string> Segments,
    DateTimeOffset? AnsweredAt = null,
    string? RespondentId = null);
