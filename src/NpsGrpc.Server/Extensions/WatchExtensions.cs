using NpsGrpc.Core.Watching;
using NpsGrpc.Server.Services;

namespace NpsGrpc.Server.Extensions;

public static class WatchExtensions
{
    /// <summary>
    /// Registers WatchScore: one hub per instance (its store subscriptions, one per watched product), the watchers'
    /// loop, and the RPC class NpsService delegates to. The store's change notices come with the store
    /// (AddRedisScoreStore).
    /// </summary>
    public static IServiceCollection AddScoreWatching(this IServiceCollection services)
    {
        services.AddSingleton<ScoreChangeHub>();
        services.AddSingleton<ScoreWatchLoop>();
        services.AddSingleton<WatchRpc>();
        return services;
    }
}
