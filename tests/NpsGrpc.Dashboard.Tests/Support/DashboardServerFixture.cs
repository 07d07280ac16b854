using NpsGrpc.Server.Dashboard;
using NpsGrpc.Testing;

namespace NpsGrpc.Dashboard.Tests.Support;

/// <summary>The real server, without API keys, on its own redis-server; each test uses its own products.</summary>
public sealed class DashboardServerFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public DashboardServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Server = await DashboardServer.StartAsync(Redis);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>A server that serves the dashboard, and the address a browser opens it at.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private DashboardServer(NpsServerHost host) => Host = host;

    public NpsServerHost Host { get; }

    /// <summary>The page, where a browser reaches the server: its browser endpoint (Web:Url), HTTP/1.1.</summary>
    public Uri PageAddress => Host.WebAddress ?? throw new InvalidOperationException("The server has no browser endpoint (Web:Url).");

    public static async Task<DashboardServer> StartAsync(RedisServer redis, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var built = Path.Combine(AppContext.BaseDirectory, DashboardExtensions.Folder, "index.html");
        if (!File.Exists(built))
        {
            throw new InvalidOperationException(
                $"{built} is missing: the dashboard was not built before the server. Run `bash .ci/test`, or build it as src/NpsGrpc.Dashboard/README.md says, then build the solution again.");
        }

        // Day tallies kept for a century: the tests answer on recent days of any year.
        var all = new Dictionary<string, string?> { ["Retention:DayBuckets"] = "36500.00:00:00" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new DashboardServer(await NpsServerHost.StartAsync(redis.Configuration, all));
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<DashboardServerFixture>
{
    // One collection: the browser tests run one after another, each page with the machine's cores to itself.
    public const string Name = "dashboard in chromium";
}
