using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Status = Grpc.Core.Status;
using Grpc.Core;
using Grpc.Core.Interceptors;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Server.Services;

/// <summary>
/// Turns domain failures into gRPC statuses in one place: malformed requests into INVALID_ARGUMENT with
/// google.rpc.BadRequest field violations, an unreachable store or lost respondent races into UNAVAILABLE (safe to retry).
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case RequestValidationException invalid:
                ServerLog.RequestMalformed(logger, context.Method, invalid.Violations[0].Description);
                return InvalidArgument(invalid.Violations);
            case var _ when Unparseable(e) is { } parseError:
                // Bytes that are not a protobuf message of the method's request type: the caller's fault, not ours.
                ServerLog.RequestMalformed(logger, context.Method, parseError.Message);
                return new RpcException(new Status(StatusCode.InvalidArgument, UnparseableMessage(parseError)));
            case ScoreStoreConflictException:
                // Not an outage: Redis answered every time, but the batch lost every race for its respondents.
                ServerLog.StoreConflict(logger, context.Method, e.Message);
                return new RpcException(new Status(
                    StatusCode.Unavailable,
                    "Other writers kept replacing answers of the same respondents while this batch was applied; re-send it after a short backoff. Batches re-sent with the same writer_id and sequence are never counted twice."));
            case ScoreStoreUnavailableException:
                ServerLog.StoreUnavailable(logger, context.Method, e);
                return new RpcException(new Status(
                    StatusCode.Unavailable,
                    "The score store (Redis) is unavailable; retry with backoff. Batches re-sent with the same writer_id and sequence are never counted twice."));
            case ExpiredDaysException expired:
                return new RpcException(new Status(StatusCode.FailedPrecondition, expired.Message));
            case IOException:
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                // The client went away (cancelled, deadline, reset the stream): nothing failed on this side.
                ServerLog.CallAbandoned(logger, context.Method);
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
            default:
                ServerLog.UnexpectedFailure(logger, context.Method, e);
                return new RpcException(new Status(StatusCode.Internal, "The server failed to process the request; see the server log."));
        }
    }

    public static string UnparseableMessage(Google.Protobuf.InvalidProtocolBufferException e) =>
        $"The request is not a valid protobuf message of this method's request type: {e.Message}";

    private static Google.Protobuf.InvalidProtocolBufferException? Unparseable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Google.Protobuf.InvalidProtocolBufferException parseError)
            {
                return parseError;
            }
        }

        return null;
    }

    private static RpcException InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var details = new BadRequest();
        foreach (var violation in violations)
        {
            details.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
        }

        var message = violations.Count == 1
            ? $"{violations[0].Field}: {violations[0].Description}"
            : $"{violations.Count} invalid fields; {violations[0].Field}: {violations[0].Description}";
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Any.Pack(details) },
        }.ToRpcException();
    }
}
