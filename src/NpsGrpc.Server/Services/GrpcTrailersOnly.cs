using System.Globalization;
using Google.Protobuf;

namespace NpsGrpc.Server.Services;

/// <summary>Ends a call from HTTP middleware the way a gRPC handler would: HTTP 200, grpc-status in the headers, no body.</summary>
internal static class GrpcTrailersOnly
{
    private const string GrpcWeb = "application/grpc-web";
    private const string GrpcWebText = "application/grpc-web-text";

    /// <summary>
    /// Refuses the call with <paramref name="status"/>, its details (ErrorInfo, ...) in grpc-status-details-bin as
    /// ToRpcException sends them, and logs the refusal at debug: every caller refuses a call the client got wrong.
    /// </summary>
    public static void Refuse(HttpContext context, ILogger logger, Google.Rpc.Status status)
    {
        ServerLog.CallRefused(logger, context.Request.Path, (Grpc.Core.StatusCode)status.Code, ErrorStatus.ReasonOf(status), status.Message);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        // These refusals come before the gRPC-Web middleware, so they answer in the request's protocol themselves.
        response.ContentType = IsGrpcWebText(context.Request.ContentType) ? GrpcWebText
            : context.Request.ContentType?.StartsWith(GrpcWeb, StringComparison.OrdinalIgnoreCase) == true ? GrpcWeb
            : "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        // Binary metadata is base64, sent unpadded (the gRPC HTTP/2 spec); clients accept it padded or not.
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
    }

    /// <summary>A gRPC-Web call whose body is base64 text (what browser libraries without binary bodies send).</summary>
    public static bool IsGrpcWebText(string? contentType) => contentType?.StartsWith(GrpcWebText, StringComparison.OrdinalIgnoreCase) == true;
}
