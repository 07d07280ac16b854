using System.Globalization;

namespace NpsGrpc.Server.Services;

/// <summary>Ends a call from HTTP middleware the way a gRPC handler would: HTTP 200, grpc-status in the headers, no body.</summary>
internal static class GrpcTrailersOnly
{
    public static void Write(HttpResponse response, Grpc.Core.StatusCode code, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
