using StackExchange.Redis;

namespace NpsGrpc.Testing;

/// <summary>How the tests' own Redis connections end.</summary>
public static class TestConnections
{
    /// <summary>
    /// Closes a connection without StackExchange.Redis's orderly QUIT to every node. That path sizes its array of
    /// QUIT tasks before it takes the lock on the node list, so a node found meanwhile (a connection to a cluster
    /// keeps discovering nodes) leaves a null task that throws NullReferenceException from DisposeAsync
    /// (StackExchange.Redis issue #2754; CI saw it fail a test in its cleanup). A test has awaited every command
    /// before it ends, so there is nothing to let complete.
    /// </summary>
    public static async Task CloseWithoutQuitAsync(this ConnectionMultiplexer connection)
    {
        await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        connection.Dispose();
    }

    /// <summary>For <c>await using</c>: closes the connection as <see cref="CloseWithoutQuitAsync"/> does when disposed.</summary>
    public static IAsyncDisposable ClosingWithoutQuit(this ConnectionMultiplexer connection) => new Closing(connection);

    private sealed class Closing(ConnectionMultiplexer connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await connection.CloseWithoutQuitAsync().ConfigureAwait(false);
    }
}
