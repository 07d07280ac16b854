using System.Net.Sockets;
using Grpc.Core;

namespace NpsGrpc.Client;

/// <summary>How the SDK tells a failure worth retrying from one the server meant.</summary>
public static class NpsErrors
{
    /// <summary>
    /// True for an error that says the server or the connection went away, not that the server refused the call:
    /// <c>UNAVAILABLE</c> (store unreachable, server shutting down, connection refused), or a dropped or reset
    /// connection (an <see cref="RpcException"/> whose debug exception is an <see cref="IOException"/>,
    /// <see cref="HttpRequestException"/> or <see cref="SocketException"/>, whatever its status). Retry those with
    /// backoff; every other status is the server's answer.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        IOException or HttpRequestException or SocketException => true,
        RpcException { StatusCode: StatusCode.Unavailable } => true,
        // A reset connection surfaces as INTERNAL or CANCELLED with the transport error inside; a status the server
        // chose (INTERNAL from a bug, CANCELLED from us) carries none and is final.
        RpcException { StatusCode: StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown } rpc => HasTransportCause(rpc.Status.DebugException),
        _ => false,
    };

    private static bool HasTransportCause(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is IOException or HttpRequestException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
