using System.Net;
using NpsGrpc.Dashboard.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Dashboard.Tests.Support.Surveys;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Dashboard.Tests;

/// <summary>How the server serves the page, over plain HTTP as a browser asks for it; Dashboard:Enabled=false turns it off.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardSettingTests(DashboardServerFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_page_is_served_at_the_root_and_revalidated_on_every_load()
    {
        using var root = await _http.GetAsync(fixture.Server.PageAddress);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.True(root.Headers.CacheControl?.NoCache, $"Cache-Control: {root.Headers.CacheControl}");
        Assert.Equal(["nosniff"], root.Headers.GetValues("X-Content-Type-Options"));
        Assert.Contains("<title>NPS dashboard</title>", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_dashboard_turned_off_the_server_serves_no_page_but_answers_calls()
    {
        await using var server = await DashboardServer.StartAsync(fixture.Redis, new Dictionary<string, string?> { ["Dashboard:Enabled"] = "false" });
        var product = UniqueProduct("no-dashboard");
        await SubmitAsync(server.Host.Client, Mix(product, 2, 1, 1));

        using var root = await _http.GetAsync(server.PageAddress);
        using var index = await _http.GetAsync(new Uri(server.PageAddress, "/index.html"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (root.StatusCode, index.StatusCode));
        Assert.Equal(4, (await server.Host.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score.Total);
    }
}
