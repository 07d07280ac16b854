using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Server.Services;

/// <summary>Response records to the contract, and the instants their listings filter on.</summary>
internal static partial class ProtoMapping
{
    /// <summary>
    /// The categories of a filter (ListResponses, StreamFollowUps); each entry that names no category is a violation
    /// of <c>categories[i]</c>, added to <paramref name="violations"/>.
    /// </summary>
    public static List<ScoreCategory> ToDomainCategories(IReadOnlyList<V1.ScoreCategory> categories, List<Core.Validation.FieldViolation> violations)
    {
        var parsed = new List<ScoreCategory>(categories.Count);
        for (var i = 0; i < categories.Count; i++)
        {
            if (ToDomain(categories[i]) is { } category)
            {
                parsed.Add(category);
            }
            else
            {
                violations.Add(new Core.Validation.FieldViolation(
                    $"categories[{i}]",
                    $"categories[{i}] must be SCORE_CATEGORY_DETRACTOR, SCORE_CATEGORY_PASSIVE or SCORE_CATEGORY_PROMOTER; got {ProtoName(categories[i])}."));
            }
        }

        return parsed;
    }

    public static PreciseInstant? ToPreciseInstant(Timestamp? timestamp) =>
        timestamp is null ? null : new PreciseInstant(timestamp.Seconds, timestamp.Nanos);

    public static V1.ScoreCategory ToProto(ScoreCategory category) => category switch
    {
        ScoreCategory.Detractor => V1.ScoreCategory.Detractor,
        ScoreCategory.Passive => V1.ScoreCategory.Passive,
        ScoreCategory.Promoter => V1.ScoreCategory.Promoter,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unmapped score category."),
    };

    /// <summary>The category a filter names; null for SCORE_CATEGORY_UNSPECIFIED and numbers the contract does not have.</summary>
    public static ScoreCategory? ToDomain(V1.ScoreCategory category) => category switch
    {
        V1.ScoreCategory.Detractor => ScoreCategory.Detractor,
        V1.ScoreCategory.Passive => ScoreCategory.Passive,
        V1.ScoreCategory.Promoter => ScoreCategory.Promoter,
        _ => null,
    };

    public static V1.ResponseRecord ToProto(ResponseRecord record)
    {
        var proto = new V1.ResponseRecord
        {
            RecordId = record.RecordId,
            ProductId = record.ProductId,
            Score = record.Score,
            Category = ToProto(record.Category),
            AnsweredAt = Timestamp.FromDateTimeOffset(record.AnsweredAt),
            RespondentId = record.RespondentId ?? string.Empty,
            Comment = record.Comment ?? string.Empty,
            LanguageCode = record.LanguageCode,
            State = record.State == RecordState.Replaced ? V1.RecordState.Replaced : V1.RecordState.Counted,
            RecordTime = Timestamp.FromDateTimeOffset(record.RecordTime),
        };
        foreach (var (key, value) in record.Segments)
        {
            proto.Segments[key] = value;
        }

        foreach (var result in record.FollowUps)
        {
            proto.FollowUps.Add(new V1.FollowUpResult
            {
                Group = result.Group,
                Consumer = result.Consumer,
                Outcome = (V1.FollowUpOutcome)(int)result.Outcome,
                Note = result.Note,
                DoneTime = Timestamp.FromDateTimeOffset(result.DoneTime),
            });
        }

        return proto;
    }
}
