using System.Net;
using System.Net.Sockets;

namespace NpsGrpc.Testing;

/// <summary>
/// Hands out loopback TCP ports for the test processes (redis-server, the server) to listen on.
/// </summary>
/// <remarks>
/// The ports come from below Linux's ephemeral range (32768 and up): a port the kernel handed out as "free" from
/// that range can become the local port of any outgoing connection before the process that was meant to listen on
/// it binds it, and on a busy machine (every test opens connections) that happened ("address already in use").
/// Below the range only listeners compete; within this process no port is handed out twice, and the random start
/// keeps two test processes apart.
/// </remarks>
public static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_767;
    private static int next = First + Random.Shared.Next(Last - First);

    public static int Next()
    {
        for (var tries = 0; tries <= Last - First; tries++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref next) % (Last - First + 1));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No loopback port from {First} to {Last} is free.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
