using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NpsGrpc.Server.Extensions;
using NpsGrpc.Server.Web;

namespace NpsGrpc.Testing;

/// <summary>
/// The real server (same wiring as Program.cs) on Kestrel, listening on free loopback ports (gRPC, and the browser
/// endpoint), reached over a real HTTP/2 channel. Several can run side by side on one Redis.
/// </summary>
public sealed class NpsServerHost : ServerEndpoint, IAsyncDisposable
{
    private readonly WebApplication _app;

    private NpsServerHost(WebApplication app, Uri address, Uri? webAddress)
        : base(address)
    {
        _app = app;
        WebAddress = webAddress;
    }

    /// <summary>The browser endpoint (gRPC-Web over HTTP/1.1, <c>Web:Url</c>); null when a setting closed it.</summary>
    public Uri? WebAddress { get; }

    /// <summary>
    /// Starts a server on <paramref name="redisConfiguration"/>; <paramref name="settings"/> override appsettings.json,
    /// and <paramref name="configure"/> adds to the pipeline after the server's own endpoints, as Program.cs would.
    /// </summary>
    public static async Task<NpsServerHost> StartAsync(
        string redisConfiguration,
        IReadOnlyDictionary<string, string?>? settings = null,
        ILoggerProvider? logs = null,
        Action<WebApplication>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Testing",
        });
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Web:Url"] = "http://127.0.0.1:0",
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
        var app = builder.Build();
        app.MapNpsEndpoints();
        configure?.Invoke(app);
        await app.StartAsync().ConfigureAwait(false);

        var web = app.Services.GetRequiredService<BrowserEndpoint>().Address;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(bound => new Uri(bound))
            .First(bound => bound.Port != web?.Port);
        return new NpsServerHost(app, address, web);
    }

    /// <summary>Shuts the server down the way SIGTERM does: stop taking work, finish what is in flight.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
