using Grpc.Core;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Reads a server stream in the background the way the tests' clients do.</summary>
internal static class ServerStreams
{
    /// <summary>
    /// Hands every message to <paramref name="onMessage"/> until the stream ends; returns the error it ended with, or
    /// null when it ended cleanly or the test stopped it through <paramref name="stop"/>.
    /// </summary>
    public static async Task<RpcException?> ReadAsync<T>(IAsyncStreamReader<T> stream, Func<T, Task> onMessage, CancellationToken stop)
    {
        try
        {
            await foreach (var message in stream.ReadAllAsync(stop))
            {
                await onMessage(message);
            }

            return null;
        }
        catch (RpcException e) when (stop.IsCancellationRequested && (e.StatusCode == StatusCode.Cancelled || AbortedByCancellation(e)))
        {
            // Ended by the test.
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    /// <summary>
    /// Cancelling a call whose read is pending may surface as UNAVAILABLE with the IOException of the stream the
    /// cancellation aborted instead of CANCELLED (grpc-dotnet issue 1214).
    /// </summary>
    private static bool AbortedByCancellation(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is IOException;
}
