using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Storage;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers the one shared multiplexer, the Redis score store, its change notices, the record store and the
    /// follow-up store, configured from the <c>Redis</c> section.
    /// </summary>
    public static IServiceCollection AddRedisScoreStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisStoreOptions>()
            .Bind(configuration.GetSection(RedisStoreOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<IConnectionMultiplexer>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<RedisStoreOptions>>().Value;
            var options = ConfigurationOptions.Parse(settings.Configuration);
            if (!string.IsNullOrEmpty(settings.TrustedCertificateAuthority))
            {
                options.TrustIssuer(settings.TrustedCertificateAuthority);
            }

            // Start even when Redis is down and reconnect by ourselves when it is back.
            options.AbortOnConnectFail = false;
            // Fail at once while disconnected instead of queueing: the caller gets UNAVAILABLE now and
            // retries with its writer stamp, rather than waiting out a timeout with its batch in limbo.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddHostedService<RedisConnectionCloser>();
        services.AddSingleton<IScoreStore, RedisScoreStore>();
        services.AddSingleton<IScoreChangeFeed, RedisScoreChangeFeed>();
        services.AddSingleton<IRecordStore, RedisRecordStore>();
        services.AddSingleton<IFollowUpStore, FollowUps.RedisFollowUpStore>();
        return services;
    }
}
