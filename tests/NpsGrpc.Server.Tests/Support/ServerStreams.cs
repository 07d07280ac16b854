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
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
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
}
