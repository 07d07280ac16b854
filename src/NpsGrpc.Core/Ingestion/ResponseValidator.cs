using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Ingestion;

/// <summary>Checks one response; the first problem found, in field order, is the one reported.</summary>
public static class ResponseValidator
{
    public static Rejection? Validate(in SurveyAnswer answer, int index, FoldContext context) => Validate(answer, index, context, out _);

    /// <summary>Also gives the comment to store: NFC-normalised, null when there is none (or the response is rejected).</summary>
    public static Rejection? Validate(in SurveyAnswer answer, int index, FoldContext context, out string? comment)
    {
        ArgumentNullException.ThrowIfNull(context);
        comment = null;

        var productProblem = Identifier.Explain(answer.ProductId, "product_id", Identifier.MaxIdLength);
        if (productProblem is not null)
        {
            return new Rejection(index, Field(index, "product_id"), productProblem, RejectionKind.InvalidProductId);
        }

        if (answer.Score is not { } score)
        {
            return new Rejection(index, Field(index, "score"), "score is required; a response without a score is not counted as 0.", RejectionKind.MissingScore);
        }

        if (!ScoreClassifier.IsValidScore(score))
        {
            return new Rejection(index, Field(index, "score"), $"score must be 0 to 10; got {score}.", RejectionKind.ScoreOutOfRange);
        }

        if (answer.Segments.Count > context.MaxSegmentsPerResponse)
        {
            return new Rejection(
                index,
                Field(index, "segments"),
                $"at most {context.MaxSegmentsPerResponse} segment labels are allowed; got {answer.Segments.Count}.",
                RejectionKind.TooManySegments);
        }

        // Most responses carry no labels: their map is not even enumerated.
        if (answer.Segments.Count > 0 && SegmentRejection(answer.Segments, index) is { } segmentRejection)
        {
            return segmentRejection;
        }

        if (!string.IsNullOrEmpty(answer.RespondentId))
        {
            var respondentProblem = Identifier.Explain(answer.RespondentId, "respondent_id", Identifier.MaxIdLength);
            if (respondentProblem is not null)
            {
                return new Rejection(index, Field(index, "respondent_id"), respondentProblem, RejectionKind.InvalidRespondentId);
            }
        }

        if (answer.AnsweredAt is { } answeredAt)
        {
            if (answeredAt > context.Now + FoldContext.MaxFutureSkew)
            {
                return new Rejection(
                    index,
                    Field(index, "answered_at"),
                    $"answered_at {answeredAt:yyyy-MM-ddTHH:mm:ssZ} is more than {FoldContext.MaxFutureSkew.TotalMinutes:0} minutes after the server's clock ({context.Now:yyyy-MM-ddTHH:mm:ssZ}).",
                    RejectionKind.AnsweredAtInFuture);
            }

            if (answeredAt < FoldContext.EarliestAnswer)
            {
                return new Rejection(
                    index,
                    Field(index, "answered_at"),
                    $"answered_at {answeredAt:yyyy-MM-ddTHH:mm:ssZ} is before 2000-01-01.",
                    RejectionKind.AnsweredAtTooOld);
            }
        }

        if (!string.IsNullOrEmpty(answer.Comment))
        {
            var commentProblem = CommentText.Explain(answer.Comment, out var normalized, out var tooLong);
            if (commentProblem is not null)
            {
                return new Rejection(
                    index, Field(index, "comment"), commentProblem, tooLong ? RejectionKind.CommentTooLong : RejectionKind.CommentInvalidCharacter);
            }

            comment = normalized;
        }

        if (!string.IsNullOrEmpty(answer.LanguageCode) && LanguageTag.Explain(answer.LanguageCode, "language_code") is { } languageProblem)
        {
            comment = null;
            return new Rejection(index, Field(index, "language_code"), languageProblem, RejectionKind.InvalidLanguageCode);
        }

        return null;
    }

    private static Rejection? SegmentRejection(IReadOnlyDictionary<string, string> segments, int index)
    {
        // The smallest offending key (ordinal) is reported, so the answer does not depend on map order.
        string? offendingKey = null;
        string? offendingValue = null;
        foreach (var (key, value) in segments)
        {
            if (Identifier.IsValid(key, Identifier.MaxLabelPartLength) && Identifier.IsValid(value, Identifier.MaxLabelPartLength))
            {
                continue;
            }

            if (offendingKey is null || string.CompareOrdinal(key, offendingKey) < 0)
            {
                offendingKey = key;
                offendingValue = value;
            }
        }

        if (offendingKey is null)
        {
            return null;
        }

        var field = Field(index, $"segments[{offendingKey}]");
        var keyProblem = Identifier.Explain(offendingKey, "segment key", Identifier.MaxLabelPartLength);
        return keyProblem is not null
            ? new Rejection(index, field, keyProblem, RejectionKind.InvalidSegmentKey)
            : new Rejection(
                index,
                field,
                Identifier.Explain(offendingValue, "segment value", Identifier.MaxLabelPartLength)!,
                RejectionKind.InvalidSegmentValue);
    }

    /// <summary>The field path of a rejection, built only when a response is rejected (never for the valid ones).</summary>
    private static string Field(int index, string name) => $"responses[{index}].{name}";
}
