using NpsGrpc.Core.Storage;
using NpsGrpc.Redis;
using NpsGrpc.Server.Services;

namespace NpsGrpc.Server.Extensions;

public static class KeyTermsExtensions
{
    /// <summary>Registers GetKeyTerms: its Redis reads and the RPC class NpsService delegates to.</summary>
    public static IServiceCollection AddKeyTerms(this IServiceCollection services)
    {
        services.AddSingleton<IKeyTermStore, RedisKeyTermStore>();
        services.AddSingleton<KeyTermsRpc>();
        return services;
    }
}
