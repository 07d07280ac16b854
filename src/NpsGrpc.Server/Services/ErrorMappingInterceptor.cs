using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Server.Services;

/// <summary>
/// Turns domain failures into gRPC statuses in one place (see <see cref="ErrorStatus"/>), and logs each failure once:
/// a client's mistake at debug, the server's own trouble as a warning or an error.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger, IOptions<LimitsOptions> limits) : Interceptor
{
    private readonly int _maxMessageBytes = limits.Value.MaxReceiveMessageBytes;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e)
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
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case RpcException { StatusCode: StatusCode.ResourceExhausted } tooLarge when ErrorStatus.ReasonOf(tooLarge) is null:
                // grpc-dotnet's own size check, met while reading a stream: the same refusal the unary reads get.
                return Refused(ErrorStatus.MessageTooLarge(null, _maxMessageBytes).ToRpcException(), context);
            case RpcException raised:
                return IsClientError(raised.StatusCode) ? Refused(raised, context) : raised;
            case RequestValidationException invalid:
                return Refused(ErrorStatus.InvalidFields(invalid.Violations), context);
            case var _ when Malformed(e, context) is { } problem:
                // Bytes that are not a protobuf message of the method's request type: the caller's fault, not ours.
                return Refused(ErrorStatus.MalformedMessage(problem, RequestTypeOf(context.Method)).ToRpcException(), context);
            case ExpiredDaysException expired:
                return Refused(ErrorStatus.DayTalliesExpired(expired), context);
            case FollowUpGroupMismatchException mismatch:
                return Refused(ErrorStatus.FollowUpGroupMismatch(mismatch), context);
            case FollowUpGroupNotFoundException notFound:
                return Refused(ErrorStatus.FollowUpGroupNotFound(notFound), context);
            case ScoreStoreConflictException:
                // Not an outage: Redis answered every time, but the batch lost every race for its respondents.
                ServerLog.StoreConflict(logger, context.Method, e.Message);
                return ErrorStatus.RespondentConflict();
            case ScoreStoreUnavailableException:
                ServerLog.StoreUnavailable(logger, context.Method, e);
                return ErrorStatus.StoreUnavailable(context.Method);
            case IOException:
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                // The client went away (cancelled, deadline, reset the stream): nothing failed on this side, and
                // nobody reads this status (on a deadline, grpc-dotnet has already sent DEADLINE_EXCEEDED).
                ServerLog.CallAbandoned(logger, context.Method);
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
            default:
                ServerLog.UnexpectedFailure(logger, context.Method, e);
                return ErrorStatus.Internal();
        }
    }

    private RpcException Refused(RpcException refusal, ServerCallContext context)
    {
        ServerLog.CallRefused(logger, context.Method, refusal.StatusCode, ErrorStatus.ReasonOf(refusal), refusal.Status.Detail);
        return refusal;
    }

    /// <summary>The statuses that say the call itself was wrong: the client must change it, the server is fine.</summary>
    internal static bool IsClientError(StatusCode code) => code is StatusCode.InvalidArgument or StatusCode.NotFound
        or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.ResourceExhausted
        or StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    /// <summary>The request type of an NpsService method; null for the other services (health, reflection).</summary>
    private static Google.Protobuf.Reflection.MessageDescriptor? RequestTypeOf(string method) =>
        method.StartsWith($"/{V1.NpsService.Descriptor.FullName}/", StringComparison.Ordinal)
            ? V1.NpsService.Descriptor.FindMethodByName(method[(method.LastIndexOf('/') + 1)..])?.InputType
            : null;

    /// <summary>What is wrong with request bytes that do not parse, or, compressed, do not decompress; null for any other failure.</summary>
    private static string? Malformed(Exception? e, ServerCallContext context)
    {
        // RequestHeaders leaves out grpc-encoding, which grpc-dotnet consumes itself.
        var encoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString();
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Google.Protobuf.InvalidProtocolBufferException parseError:
                    return parseError.Message;
                case InvalidDataException corrupt when encoding is not ("" or "identity"):
                    return $"its {encoding}-compressed bytes do not decompress: {corrupt.Message}";
            }
        }

        return null;
    }
}
