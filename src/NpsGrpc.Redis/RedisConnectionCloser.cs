using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// Closes the shared multiplexer once every hosted service has stopped, before the container disposes it. The
/// container's dispose asks StackExchange.Redis for an orderly QUIT to every node, and that path sizes its array of
/// QUIT tasks before it takes the lock on the node list: a node discovered meanwhile (a cluster connection keeps
/// discovering them) leaves a null task that throws NullReferenceException out of the shutdown (StackExchange.Redis
/// issue #2754). Closing without the QUIT skips that path, and the later dispose finds no node left. By then calls
/// and background loops have ended, so no command is left to complete.
/// </summary>
internal sealed class RedisConnectionCloser(IConnectionMultiplexer redis) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => redis.CloseAsync(allowCommandsToComplete: false);
}
