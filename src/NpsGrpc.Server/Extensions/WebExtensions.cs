using Grpc.AspNetCore.Web;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NpsGrpc.Server.Web;

namespace NpsGrpc.Server.Extensions;

/// <summary>
/// What browsers need: gRPC-Web on every endpoint, a cleartext HTTP/1.1 endpoint of their own (<c>Web:Url</c>),
/// CORS when <c>Web:CorsOrigins</c> names pages of other origins, and a place for static files.
/// </summary>
public static class WebExtensions
{
    private const string CorsPolicy = "gRPC-Web";

    /// <summary>
    /// The status of a call travels in these headers when the call ends before any message (a trailers-only
    /// response): a page of another origin reads them only when CORS exposes them.
    /// </summary>
    private static readonly string[] StatusHeaders = ["grpc-status", "grpc-message", "grpc-status-details-bin"];

    /// <summary>Registers gRPC-Web, the browser endpoint and the CORS policy; call after the urls are settled.</summary>
    public static WebApplicationBuilder AddNpsWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(WebOptions.SectionName);
        builder.Services.AddOptions<WebOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();

        // Read now, as the Limits are: Kestrel's endpoints are settled before the host is built. A value Kestrel
        // cannot bind stops the server at the validation above, before it listens.
        var web = section.Get<WebOptions>() ?? new WebOptions();
        var problems = new WebOptionsValidator().Validate(null, web);
        var endpoint = new BrowserEndpoint(problems.Failed ? null : web.Endpoint);
        builder.Services.AddSingleton(endpoint);
        if (!problems.Failed && web.Endpoint is { } browser)
        {
            ListenForBrowsers(builder, web.Url!.Trim(), browser.Scheme == Uri.UriSchemeHttps, endpoint);
        }

        if (web.CorsOrigins is { Count: > 0 } origins)
        {
            builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
            {
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. origins]);
                }

                // Any header: the API key (authorization, x-api-key), grpc-timeout, x-grpc-web, x-user-agent.
                policy.WithMethods(HttpMethods.Post).AllowAnyHeader().WithExposedHeaders(StatusHeaders);
            }));
        }

        return builder;
    }

    /// <summary>
    /// CORS, when <c>Web:CorsOrigins</c> names any origin, first in the pipeline: a preflight is answered before any API
    /// key is asked for, and every answer, refusals included, carries the headers that let the page read its status.
    /// </summary>
    public static WebApplication UseNpsCors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<WebOptions>>().Value.CorsOrigins is { Count: > 0 })
        {
            app.UseCors(CorsPolicy);
        }

        return app;
    }

    /// <summary>
    /// gRPC-Web for every service and method (a browser may call each unary and server-streaming RPC, health included):
    /// the services see a gRPC-Web call as a gRPC call. It goes after the middleware that answers calls themselves
    /// (authentication, the request checks), which read the request as the client sent it.
    /// </summary>
    public static WebApplication UseNpsGrpcWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });

        var endpoint = app.Services.GetRequiredService<BrowserEndpoint>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebExtensions));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (endpoint.Address is { } address)
            {
                ServerLog.BrowserEndpoint(logger, address.ToString().TrimEnd('/'));
            }
        });
        return app;
    }

    /// <summary>
    /// Serves <paramref name="files"/> to browsers, <c>index.html</c> at <c>/</c>: GET and HEAD only, so a gRPC call
    /// (always POST) never meets them. The files are served on every endpoint, and browsers reach them on the browser
    /// one. They need no API key: the page asks for one and sends it with its gRPC-Web calls. A browser revalidates
    /// them on every load (so a new build shows at once, under the same names), never sniffs them as another type,
    /// and never shows them in another site's frame.
    /// </summary>
    public static WebApplication UseBrowserFiles(this WebApplication app, IFileProvider files)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.CacheControl] = "no-cache";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.XFrameOptions] = "DENY";
            },
        });
        return app;
    }

    /// <summary>
    /// Adds the browser endpoint to Kestrel's configured endpoints. Kestrel binds either its configured endpoints or the
    /// urls, never both, so without configured endpoints the urls become endpoints too (Grpc0, Grpc1, ...), unchanged.
    /// </summary>
    private static void ListenForBrowsers(WebApplicationBuilder builder, string url, bool https, BrowserEndpoint endpoint)
    {
        var configuration = builder.Configuration;
        var endpoints = new Dictionary<string, string?>();
        if (!configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            var urls = configuration[WebHostDefaults.ServerUrlsKey] ?? string.Empty;
            var i = 0;
            foreach (var grpc in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                endpoints[$"Kestrel:Endpoints:Grpc{i++}:Url"] = grpc;
            }

            builder.Services.AddSingleton<IStartupFilter, UrlsBoundAsEndpoints>();
        }

        var name = $"Kestrel:Endpoints:{BrowserEndpoint.KestrelName}";
        endpoints[$"{name}:Url"] = url;
        if (string.IsNullOrEmpty(configuration[$"{name}:Protocols"]))
        {
            // Cleartext HTTP/2 is for gRPC clients only (h2c), and an endpoint serves it or HTTP/1.1, not both;
            // over TLS, ALPN lets a browser pick either.
            endpoints[$"{name}:Protocols"] = https ? "Http1AndHttp2" : "Http1";
        }

        configuration.AddInMemoryCollection(endpoints);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigurationLoader?.Endpoint(BrowserEndpoint.KestrelName, configured => endpoint.Listening(configured.ListenOptions)));
    }
}
