using System.Globalization;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using NpsGrpc.V1;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Statistics;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Server.Services;

/// <summary>Maps between the wire contract and the domain, in both directions.</summary>
internal static partial class ProtoMapping
{
    public static SurveyAnswer[] ToAnswers(RepeatedField<SurveyResponse> responses)
    {
        var answers = new SurveyAnswer[responses.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var response = responses[i];
            answers[i] = new SurveyAnswer(
                response.ProductId,
                response.HasScore ? response.Score : null,
                response.Segments,
                ToInstant(response.AnsweredAt),
                response.RespondentId.Length == 0 ? null : response.RespondentId,
                response.Comment.Length == 0 ? null : response.Comment,
                response.LanguageCode.Length == 0 ? null : response.LanguageCode);
        }

        return answers;
    }

    /// <param name="outcomes">What <see cref="BatchOutcomes.Resolve"/> made of <paramref name="batch"/> and <paramref name="outcome"/>.</param>
    public static SubmitResponsesResponse ToAck(long sequence, FoldedBatch batch, ApplyOutcome outcome, BatchOutcomes outcomes)
    {
        var ack = new SubmitResponsesResponse
        {
            Sequence = sequence,
            AcceptedCount = batch.AcceptedCount,
            Duplicate = outcome.IsDuplicate,
        };
        foreach (var rejection in batch.Rejections)
        {
            ack.Rejected.Add(new RejectedResponse
            {
                Index = rejection.Index,
                Field = rejection.Field,
                Description = rejection.Description,
                Reason = ToProto(rejection.Kind),
            });
        }

        ack.ReplacedCount = outcomes.Replaced;
        ack.SupersededCount = outcomes.Superseded;
        ack.AlreadyAppliedCount = outcomes.AlreadyApplied;
        foreach (var (index, result) in outcomes.Others)
        {
            ack.OtherOutcomes.Add(new IndexedOutcome { Index = index, Outcome = ToProto(result) });
        }

        return ack;
    }

    private static V1.ResponseOutcome ToProto(Core.Ingestion.ResponseOutcome outcome) => outcome switch
    {
        Core.Ingestion.ResponseOutcome.Counted => V1.ResponseOutcome.Counted,
        Core.Ingestion.ResponseOutcome.Replaced => V1.ResponseOutcome.Replaced,
        Core.Ingestion.ResponseOutcome.Superseded => V1.ResponseOutcome.Superseded,
        Core.Ingestion.ResponseOutcome.AlreadyApplied => V1.ResponseOutcome.AlreadyApplied,
        _ => V1.ResponseOutcome.Rejected,
    };

    public static Score ToProto(NpsScore score)
    {
        var proto = new Score
        {
            Promoters = score.Promoters,
            Passives = score.Passives,
            Detractors = score.Detractors,
            Total = score.Total,
            PromoterPercent = score.PromoterPercent,
            PassivePercent = score.PassivePercent,
            DetractorPercent = score.DetractorPercent,
            Distribution = { score.Distribution },
        };
        if (score.Nps is { } nps)
        {
            proto.Nps = nps;
        }

        if (score.StandardError is { } standardError)
        {
            proto.StandardError = standardError;
        }

        if (score.Interval is { } interval)
        {
            proto.ConfidenceInterval = ToProto(interval);
        }

        proto.LowSample = score.LowSample;
        return proto;
    }

    public static CompareScoresResponse ToProto(NpsScore first, NpsScore second, ScoreComparison comparison)
    {
        var response = new CompareScoresResponse
        {
            First = ToProto(first),
            Second = ToProto(second),
            Difference = comparison.Difference,
            StandardError = comparison.StandardError,
            DifferenceInterval = ToProto(comparison.DifferenceInterval),
            PValue = comparison.PValue,
            Significant = comparison.Significant,
            Verdict = ToProto(comparison.Verdict),
        };
        if (comparison.Z is { } z)
        {
            response.Z = z;
        }

        return response;
    }

    /// <summary>
    /// The instant of a timestamp; one outside what DateTimeOffset holds (before year 1, after 9999, or with
    /// nanos out of range) becomes the earliest or latest instant, so validation rejects it as too old or too late.
    /// </summary>
    public static DateTimeOffset? ToInstant(Timestamp? timestamp)
    {
        if (timestamp is null)
        {
            return null;
        }

        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return timestamp.Seconds < 0 ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;
        }
    }

    /// <summary>
    /// The contract's name of an nps.v1 enum value (GRANULARITY_DAY, not the C# Day), for messages a client reads;
    /// the number when the contract has no such value.
    /// </summary>
    public static string ProtoName<TEnum>(TEnum value)
        where TEnum : struct, System.Enum =>
        ProtoName(NpsReflection.Descriptor.EnumTypes.Single(type => type.ClrType == typeof(TEnum)), Convert.ToInt32(value, CultureInfo.InvariantCulture));

    public static string ProtoName(EnumDescriptor descriptor, int value) =>
        descriptor.FindValueByNumber(value)?.Name ?? value.ToString(CultureInfo.InvariantCulture);

    public static Timestamp ToTimestamp(DateOnly day) => Timestamp.FromDateTimeOffset(DayInterval.StartOf(day));

    private static V1.ConfidenceInterval ToProto(Core.Statistics.ConfidenceInterval interval) =>
        new() { Lower = interval.Lower, Upper = interval.Upper, ConfidencePercent = interval.ConfidencePercent };

    private static RejectionReason ToProto(RejectionKind kind) => kind switch
    {
        RejectionKind.InvalidProductId => RejectionReason.InvalidProductId,
        RejectionKind.MissingScore => RejectionReason.MissingScore,
        RejectionKind.ScoreOutOfRange => RejectionReason.ScoreOutOfRange,
        RejectionKind.TooManySegments => RejectionReason.TooManySegments,
        RejectionKind.InvalidSegmentKey => RejectionReason.InvalidSegmentKey,
        RejectionKind.InvalidSegmentValue => RejectionReason.InvalidSegmentValue,
        RejectionKind.AnsweredAtInFuture => RejectionReason.AnsweredAtInFuture,
        RejectionKind.AnsweredAtTooOld => RejectionReason.AnsweredAtTooOld,
        RejectionKind.InvalidRespondentId => RejectionReason.InvalidRespondentId,
        RejectionKind.CommentTooLong => RejectionReason.CommentTooLong,
        RejectionKind.CommentInvalidCharacter => RejectionReason.CommentInvalidCharacter,
        RejectionKind.InvalidLanguageCode => RejectionReason.InvalidLanguageCode,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unmapped rejection kind."),
    };

    private static V1.ComparisonVerdict ToProto(Core.Statistics.ComparisonVerdict verdict) => verdict switch
    {
        Core.Statistics.ComparisonVerdict.Significant => V1.ComparisonVerdict.Significant,
        Core.Statistics.ComparisonVerdict.NotSignificant => V1.ComparisonVerdict.NotSignificant,
        Core.Statistics.ComparisonVerdict.InsufficientData => V1.ComparisonVerdict.InsufficientData,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unmapped comparison verdict."),
    };
}
