using System.Net;
using System.Net.Sockets;

namespace NpsGrpc.Client.Tests;

/// <summary>
/// A loopback TCP proxy to the live server that can hold back the server's bytes (acks stay in flight) and cut every
/// open connection abruptly (RST), as a crashed load balancer or a dropped network would.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private TaskCompletionSource _serverBytesFlow = Flowing();
    private long _forwardedClientBytes;
    private int _disposed;
    private int _accepted;
    private int _holding;

    public TcpProxy(string target)
    {
        var colon = target.LastIndexOf(':');
        _targetHost = target[..colon];
        _targetPort = int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>Bytes forwarded from clients to the server.</summary>
    public long ForwardedClientBytes => Interlocked.Read(ref _forwardedClientBytes);

    /// <summary>True while server bytes (acks) sit in the proxy, held back by <see cref="HoldServerBytes"/>.</summary>
    public bool IsHoldingServerBytes => Volatile.Read(ref _holding) > 0;

    /// <summary>Stops forwarding server-to-client bytes until the next <see cref="DropAll"/>.</summary>
    public void HoldServerBytes() => Volatile.Write(ref _serverBytesFlow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Resets every open connection, both sides, discarding held bytes; new connections are accepted as before.</summary>
    public void DropAll()
    {
        TcpClient[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var socket in open)
        {
            Reset(socket);
        }

        Volatile.Read(ref _serverBytesFlow).TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop one of these ways.
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            var server = new TcpClient { NoDelay = true };
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                Reset(client);
                server.Dispose();
                continue;
            }

            client.NoDelay = true;
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            _ = PumpAsync(client, server, holdable: false);
            _ = PumpAsync(server, client, holdable: true);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool holdable)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var read = await input.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (holdable && Volatile.Read(ref _serverBytesFlow) is { Task.IsCompleted: false } held)
                {
                    Interlocked.Increment(ref _holding);
                    try
                    {
                        await held.Task;
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _holding);
                    }
                }

                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                if (!holdable)
                {
                    Interlocked.Add(ref _forwardedClientBytes, read);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The other pump, DropAll or Dispose closed the connection: nothing left to forward.
        }
        finally
        {
            Reset(from);
            Reset(to);
        }
    }

    private static void Reset(TcpClient socket)
    {
        try
        {
            // Linger 0: close sends RST instead of FIN, so both ends see the connection die, not end.
            // Client is null once the pump on the other direction has disposed this side already.
            if (socket.Client is { } raw)
            {
                raw.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}
