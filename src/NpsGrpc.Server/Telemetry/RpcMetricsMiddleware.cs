using System.Diagnostics;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Server.Services;

namespace NpsGrpc.Server.Telemetry;

/// <summary>
/// Records every gRPC call into <c>rpc.server.call.duration</c>, with its method and the status it ended with, once
/// the call is over: ASP.NET Core's own http.server metrics see only HTTP 200, since gRPC puts its status in the
/// trailers. It runs before authentication and the request checks, so their refusals are counted too.
/// </summary>
internal sealed class RpcMetricsMiddleware(RequestDelegate next, NpsMetrics metrics)
{
    /// <summary>The method value for a path the server has no method for: a random path must not make a new series.</summary>
    internal const string OtherMethod = "_OTHER";

    // Not async where nothing is measured: the call's task passes straight through, with no state machine of ours.
    public Task InvokeAsync(HttpContext context) =>
        metrics.CallsObserved && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
            ? MeasuredAsync(context)
            : next(context);

    private async Task MeasuredAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var (code, reason) = StatusOf(context);
            var method = code != StatusCode.Unimplemented && context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc
                ? grpc.Method.FullName.TrimStart('/')
                : OtherMethod;
            metrics.CallCompleted("grpc", method, ErrorStatus.NameOf(code), IsServerError(code), reason, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// The errors of the server rather than of the call, per the gRPC conventions for a server: these set error.type.
    /// A refused call (INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, ...) is the client's to fix and does not.
    /// </summary>
    internal static bool IsServerError(StatusCode code) => code is StatusCode.Unknown or StatusCode.DeadlineExceeded
        or StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss;

    /// <summary>
    /// The status the call ended with, from the trailers, or from the headers of a trailers-only answer (a call refused
    /// before any message); UNKNOWN when there is none (the connection broke). Its ErrorInfo reason is read only for a
    /// failure, the only kind that carries one.
    /// </summary>
    private static (StatusCode Code, string? Reason) StatusOf(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (headers.GrpcStatus.Count == 0)
        {
            headers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers ?? headers;
        }

        if (!int.TryParse(headers.GrpcStatus, out var number))
        {
            return (StatusCode.Unknown, null);
        }

        var code = (StatusCode)number;
        return (code, code == StatusCode.OK ? null : ReasonOf(headers["grpc-status-details-bin"]));
    }

    private static string? ReasonOf(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return null;
        }

        try
        {
            // Binary metadata is sent unpadded.
            var padded = details.PadRight(details.Length + ((4 - (details.Length % 4)) % 4), '=');
            return ErrorStatus.ReasonOf(Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(padded)));
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
