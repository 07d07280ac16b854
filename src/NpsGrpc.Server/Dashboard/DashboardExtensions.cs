using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using NpsGrpc.Server.Extensions;

namespace NpsGrpc.Server.Dashboard;

public static class DashboardExtensions
{
    /// <summary>
    /// The folder beside the server's binary that holds the built dashboard: the build copies
    /// src/NpsGrpc.Dashboard/dist there (NpsGrpc.Server.csproj).
    /// </summary>
    public const string Folder = "dashboard";

    public static IServiceCollection AddNpsDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Serves the dashboard at <c>/</c> before authentication, so that a browser gets the page (and its API key field)
    /// from a server that requires keys; every call the page makes is then authorised like any other client's.
    /// </summary>
    public static WebApplication UseNpsDashboard(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled)
        {
            return app;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardExtensions));
        var root = Path.Combine(AppContext.BaseDirectory, Folder);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            // The server is complete without it: gRPC clients are its main users, and Node.js builds the page.
            ServerLog.DashboardNotBuilt(logger, root);
            return app;
        }

        app.UseBrowserFiles(new PhysicalFileProvider(root));
        return app;
    }
}
