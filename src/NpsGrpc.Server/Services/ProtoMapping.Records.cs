using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Server.Services;

/// <summary>Response records to the contract, and the µs instants their listings filter on.</summary>
internal static partial class ProtoMapping
{
    /// <summary>
    /// A timestamp as whole µs since 1970, rounded up: records are kept to the µs, so "at or after" and "before" an
    /// instant between two µs mean the same as for the next µs. One outside the contract's range (nanos out of range)
    /// becomes the earliest or latest instant, as <see cref="ToInstant"/> does.
    /// </summary>
    public static long? ToMicrosRoundedUp(Timestamp? timestamp)
    {
        if (timestamp is null)
        {
            return null;
        }

        // ±10^12 s is well beyond the contract's years 1 to 9999 and keeps the product within a long.
        const long SecondsLimit = 1_000_000_000_000;
        if (timestamp.Nanos is < 0 or > 999_999_999 || Math.Abs(timestamp.Seconds) > SecondsLimit)
        {
            return timestamp.Seconds < 0 ? -SecondsLimit * 1_000_000 : SecondsLimit * 1_000_000;
        }

        return (timestamp.Seconds * 1_000_000) + ((timestamp.Nanos + 999) / 1000);
    }

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
