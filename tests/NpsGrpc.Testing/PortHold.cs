using System.Net;
using System.Net.Sockets;

namespace NpsGrpc.Testing;

/// <summary>
/// Keeps a loopback port taken while its Redis is down: a listener that resets every connection at once, so a client
/// meets what a crashed Redis gives it (a connection that fails straight away), while no other process can bind the port.
/// </summary>
public sealed class PortHold : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private PortHold(TcpListener listener)
    {
        _listener = listener;
        _ = RefuseAsync();
    }

    public static PortHold Take(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // Connections of the killed process may linger in TIME_WAIT on this port.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return new PortHold(listener);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task RefuseAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var connection = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                // Closing with a zero linger sends RST: the client sees a reset connection, not one that hangs.
                connection.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped: the port goes back to redis-server.
        }
    }
}
