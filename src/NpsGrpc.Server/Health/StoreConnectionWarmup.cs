using StackExchange.Redis;

namespace NpsGrpc.Server.Health;

/// <summary>Connects to Redis while the server starts, so the first request does not pay for it.</summary>
public sealed class StoreConnectionWarmup(IServiceProvider services, ILogger<StoreConnectionWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        if (redis.IsConnected)
        {
            ServerLog.StoreConnected(logger, Endpoints(redis));
        }
        else
        {
            ServerLog.StoreNotYetReachable(logger, Endpoints(redis));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Endpoints only: the configuration string may hold a password.
    private static string Endpoints(IConnectionMultiplexer redis) =>
        string.Join(", ", redis.GetEndPoints().Select(endpoint => endpoint.ToString()));
}
