using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>
/// Every status the server raises itself, each with a google.rpc.ErrorInfo whose reason is an nps.v1.ErrorReason
/// name (AIP-193), so that clients branch on the reason and the messages stay free to improve.
/// </summary>
internal static class ErrorStatus
{
    public const string Domain = "nps.v1";

    /// <summary>A message names at most this many fields, and stops adding them past this length; BadRequest has them all.</summary>
    internal const int MaxFieldsInMessage = 10;

    internal const int MaxMessageLength = 1000;

    /// <summary>The name the contract gives <paramref name="reason"/>, e.g. ERROR_REASON_PRODUCT_NOT_FOUND.</summary>
    public static string NameOf(ErrorReason reason) => ProtoMapping.ProtoName(reason);

    /// <summary>The name the contract gives a status code, e.g. INVALID_ARGUMENT.</summary>
    public static string NameOf(StatusCode code) => ProtoMapping.ProtoName(CodeReflection.Descriptor.EnumTypes[0], (int)code);

    public static RpcException InvalidFields(IReadOnlyList<FieldViolation> violations)
    {
        var details = new BadRequest();
        foreach (var violation in violations)
        {
            details.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
        }

        return Create(
            StatusCode.InvalidArgument,
            ErrorReason.InvalidFields,
            FieldsMessage(violations),
            [("fields", string.Join(',', violations.Select(violation => violation.Field).Distinct()))],
            details).ToRpcException();
    }

    /// <summary>
    /// One field: "field: description". Several: how many, then each field with its description, up to
    /// <see cref="MaxFieldsInMessage"/> fields or <see cref="MaxMessageLength"/> characters, then how many more.
    /// </summary>
    internal static string FieldsMessage(IReadOnlyList<FieldViolation> violations)
    {
        if (violations.Count == 1)
        {
            return Bounded($"{violations[0].Field}: {violations[0].Description}");
        }

        var message = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{violations.Count} invalid fields:");
        var named = 0;
        foreach (var violation in violations)
        {
            var sentence = violation.Description.EndsWith('.') ? violation.Description : violation.Description + ".";
            var part = $" {violation.Field}: {sentence}";
            if (named == MaxFieldsInMessage || (named > 0 && message.Length + part.Length > MaxMessageLength))
            {
                break;
            }

            message.Append(named == 0 ? Bounded(part) : part);
            named++;
        }

        if (named < violations.Count)
        {
            message.Append(CultureInfo.InvariantCulture, $" And {violations.Count - named} more, listed in the google.rpc.BadRequest detail.");
        }

        return message.ToString();
    }

    public static Google.Rpc.Status MalformedMessage(string problem, MessageDescriptor? requestType) => Create(
        StatusCode.InvalidArgument,
        ErrorReason.MalformedMessage,
        $"The request is not a valid protobuf message of this method's request type{(requestType is null ? string.Empty : $" ({requestType.FullName})")}: {problem}",
        requestType is null ? [] : [("requestType", requestType.FullName)]);

    public static Google.Rpc.Status MessageTooLarge(long? bytes, int maxBytes) => Create(
        StatusCode.ResourceExhausted,
        ErrorReason.MessageTooLarge,
        bytes is { } size
            ? $"The request message is {size} bytes; this server accepts at most {maxBytes}."
            : $"A request message is larger than this server accepts ({maxBytes} bytes).",
        [("maxBytes", maxBytes.ToString(CultureInfo.InvariantCulture))]);

    public static RpcException NotFound(ScoreQuery query) => query.Segment is { } label
        ? Create(
            StatusCode.NotFound,
            ErrorReason.SegmentNotFound,
            $"Product '{query.ProductId}' has no responses with segment {label}.",
            [("productId", query.ProductId), ("segment", label.ToString())]).ToRpcException()
        : Create(
            StatusCode.NotFound,
            ErrorReason.ProductNotFound,
            $"Product '{query.ProductId}' has no responses.",
            [("productId", query.ProductId)]).ToRpcException();

    public static RpcException DayTalliesExpired(ExpiredDaysException expired) => Create(
        StatusCode.FailedPrecondition,
        ErrorReason.DayTalliesExpired,
        expired.Message,
        [("firstRequestedDay", Day(expired.FirstRequestedDay)), ("oldestRetainedDay", Day(expired.OldestRetainedDay))]).ToRpcException();

    public static RpcException NoResponsesInInterval(string scope) => Create(
        StatusCode.FailedPrecondition,
        ErrorReason.NoResponsesInInterval,
        $"The {scope} scope has no responses in its interval: there is nothing to compare.",
        [("scope", scope)]).ToRpcException();

    public static RpcException StoreUnavailable() => Create(
        StatusCode.Unavailable,
        ErrorReason.StoreUnavailable,
        "The score store (Redis) is unavailable; retry with backoff. Batches re-sent with the same writer_id and sequence are never counted twice.").ToRpcException();

    /// <summary>The store is unavailable, in words that fit <paramref name="method"/> (a gRPC method path): how to retry it.</summary>
    public static RpcException StoreUnavailable(string method) => method[(method.LastIndexOf('/') + 1)..] switch
    {
        nameof(V1.NpsService.NpsServiceBase.StreamFollowUps) => Create(
            StatusCode.Unavailable,
            ErrorReason.StoreUnavailable,
            "The score store (Redis) is unavailable; reconnect with backoff, with the same consumer name: the deliveries this consumer holds stay leased to it until their leases expire.").ToRpcException(),
        nameof(V1.NpsService.NpsServiceBase.WatchScore) => Create(
            StatusCode.Unavailable,
            ErrorReason.StoreUnavailable,
            "The score store (Redis) is unavailable; watch again with backoff: the current score is sent at once.").ToRpcException(),
        nameof(V1.NpsService.NpsServiceBase.AcknowledgeFollowUps) => Create(
            StatusCode.Unavailable,
            ErrorReason.StoreUnavailable,
            "The score store (Redis) is unavailable; retry with backoff: acknowledging is idempotent.").ToRpcException(),
        _ => StoreUnavailable(),
    };

    public static RpcException FollowUpGroupMismatch(FollowUpGroupMismatchException mismatch) => Create(
        StatusCode.FailedPrecondition,
        ErrorReason.FollowUpGroupMismatch,
        mismatch.Message,
        [("group", mismatch.Group), ("productId", mismatch.ProductId)]).ToRpcException();

    public static RpcException FollowUpGroupNotFound(FollowUpGroupNotFoundException notFound) => Create(
        StatusCode.NotFound,
        ErrorReason.FollowUpGroupNotFound,
        notFound.Message,
        [("group", notFound.Group), ("productId", notFound.ProductId)]).ToRpcException();

    public static RpcException FollowUpsShuttingDown() => Create(
        StatusCode.Unavailable,
        ErrorReason.ShuttingDown,
        "The server is shutting down; reconnect to another instance with the same consumer name to get this consumer's unacknowledged deliveries back first.").ToRpcException();

    public static RpcException WatchShuttingDown() => Create(
        StatusCode.Unavailable,
        ErrorReason.ShuttingDown,
        "The server is shutting down; watch again on another instance: the current score is sent at once.").ToRpcException();

    /// <summary>The retry delay of a lost respondent race: from 200 ms inclusive to 1 s exclusive (see <see cref="RespondentConflict"/>).</summary>
    internal const int MinConflictRetryMs = 200;

    internal const int MaxConflictRetryMs = 1000;

    /// <summary>
    /// The store already retried with growing random waits (up to 127 ms) and lost every race, so the batch waits
    /// longer than that for the racing writers to finish, at random so that the writers that lost come back out of step.
    /// </summary>
    public static RpcException RespondentConflict() => Create(
        StatusCode.Unavailable,
        ErrorReason.RespondentConflict,
        "Other writers kept replacing answers of the same respondents while this batch was applied; re-send it after the retry delay. Batches re-sent with the same writer_id and sequence are never counted twice.",
        [],
        new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(Random.Shared.Next(MinConflictRetryMs, MaxConflictRetryMs))) })
        .ToRpcException();

    public static RpcException ShuttingDown() => Create(
        StatusCode.Unavailable,
        ErrorReason.ShuttingDown,
        "The server is shutting down; re-send unacknowledged batches with the same writer_id and sequence.").ToRpcException();

    public static RpcException Internal() => Create(
        StatusCode.Internal,
        ErrorReason.Internal,
        "The server failed to process the request; see the server log.").ToRpcException();

    public static Google.Rpc.Status Create(
        StatusCode code, ErrorReason reason, string message, IEnumerable<(string Key, string Value)>? metadata = null, params IMessage[] details)
    {
        var info = new ErrorInfo { Reason = NameOf(reason), Domain = Domain };
        foreach (var (key, value) in metadata ?? [])
        {
            info.Metadata[key] = value;
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status;
    }

    /// <summary>The reason of a status the server raised itself; null for one from the gRPC runtime.</summary>
    public static string? ReasonOf(RpcException exception) => exception.GetRpcStatus() is { } status ? ReasonOf(status) : null;

    public static string? ReasonOf(Google.Rpc.Status status) => status.GetDetail<ErrorInfo>()?.Reason;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Bounded(string text) => text.Length <= MaxMessageLength ? text : string.Concat(text.AsSpan(0, MaxMessageLength - 1), "…");
}
