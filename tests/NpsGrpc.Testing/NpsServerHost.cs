using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NpsGrpc.Server.Extensions;

namespace NpsGrpc.Testing;

/// <summary>
/// The real server (same wiring as Program.cs) on Kestrel, listening on a free loopback port, reached over a
/// real HTTP/2 channel. Several can run side by side on one Redis.
/// </summary>
public sealed class NpsServerHost : ServerEndpoint, IAsyncDisposable
{
    private readonly WebApplication _app;

    private NpsServerHost(WebApplication app, Uri address)
        : base(address) => _app = app;

    /// <summary>
    /// Starts a server on <paramref name="redisConfiguration"/>; <paramref name="settings"/> override appsettings.json,
    /// and <paramref name="services"/> adds to the server's services (an in-memory telemetry exporter, say).
    /// </summary>
    public static async Task<NpsServerHost> StartAsync(
        string redisConfiguration,
        IReadOnlyDictionary<string, string?>? settings = null,
        ILoggerProvider? logs = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Testing",
        });
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Redis:Configuration"] = redisConfiguration,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.AddNpsServer();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapNpsEndpoints();
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new NpsServerHost(app, new Uri(address));
    }

    /// <summary>The server's services: what a test reads the server's own state from (its telemetry providers, say).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Shuts the server down the way SIGTERM does: stop taking work, finish what is in flight.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
