namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// One survey response as the domain sees it. Segments are borrowed, not copied, from the caller. An empty or null
/// <see cref="Comment"/> is none; an empty or null <see cref="LanguageCode"/> is the configured default.
/// </summary>
public readonly record struct SurveyAnswer(
    string ProductId,
    int? Score,
    IReadOnlyDictionary<string, string> Segments,
    DateTimeOffset? AnsweredAt = null,
    string? RespondentId = null,
    string? Comment = null,
    string? LanguageCode = null);
