using System.Net.Sockets;
using System.Security.Authentication;
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
    /// backoff; every other status is the server's answer. A failed TLS handshake is not transient either (see
    /// <see cref="IsCertificateFailure"/>).
    /// </summary>
    public static bool IsTransient(Exception error) => !IsCertificateFailure(error) && error switch
    {
        IOException or HttpRequestException or SocketException => true,
        RpcException { StatusCode: StatusCode.Unavailable } => true,
        // A reset connection surfaces as INTERNAL or CANCELLED with the transport error inside; a status the server
        // chose (INTERNAL from a bug, CANCELLED from us) carries none and is final.
        RpcException { StatusCode: StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown } rpc => HasTransportCause(rpc.Status.DebugException),
        _ => false,
    };

    /// <summary>
    /// True when the TLS handshake failed: most often the server's certificate was not signed by the CA the channel
    /// trusts (a wrong CA file), or names another host. gRPC reports it as <c>UNAVAILABLE</c>, like a lost
    /// connection, but a wrong CA never heals by retrying: stop and say so.
    /// </summary>
    public static bool IsCertificateFailure(Exception error)
    {
        for (Exception? e = error; e is not null; e = e is RpcException rpc ? rpc.Status.DebugException : e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

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
