using Grpc.Core;
using NpsGrpc.Dashboard.Tests.Support;
using NpsGrpc.Testing;
using static Microsoft.Playwright.Assertions;
using static NpsGrpc.Dashboard.Tests.Support.Surveys;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Dashboard.Tests;

/// <summary>
/// The dashboard of a server that requires API keys: the page itself is open to anyone, its calls are not, and the
/// page says which key it needs and what was wrong with the one given.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiKeyTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string SubmitKey = "nps_submit_7f3b0c2d9e814a6b8c5d2e1f0a9b8c7d";
    private const string ReadKey = "nps_read_1a2b3c4d5e6f708192a3b4c5d6e7f809";
    private const string AnalystKey = "nps_analyst_2b3c4d5e6f708192a3b4c5d6e7f8091a";

    private readonly string _product = UniqueProduct("keyed");
    private RedisServer _redis = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await DashboardServer.StartAsync(_redis, new Dictionary<string, string?>().WithApiKeys(
            ("ingest", SubmitKey, ["submit"]),
            ("dashboard", ReadKey, ["read"]),
            ("analyst", AnalystKey, ["read", "follow_up"])));
        await SubmitAsync(_server.Host.Client,
            [.. Mix(_product, 45, 30, 24), Answer(_product, 1).By("r1").Saying("Lost my order")],
            new Metadata { { "authorization", "Bearer " + SubmitKey } });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_wrong_API_key_gets_a_clear_message_on_the_page()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, _server.PageAddress, "/?product=" + _product);

        // No key yet: the page asks for one.
        await Expect(page.Page.Locator("#key-form")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Loading });
        await Expect(page.KeyMessage).ToHaveTextAsync("This server needs an API key. Enter one with the read scope (with follow_up too, the page also shows detractors' comments).");

        await page.Page.FillAsync("#api-key", "nps_guess_00000000000000000000000000000000");
        await page.Page.ClickAsync("#key-form button[type=submit]");

        await Expect(page.KeyMessage).ToHaveTextAsync(
            "The server refused this API key: it is not a key the server knows. Check it and enter it again.", new() { Timeout = DashboardPage.Loading });
        await Expect(page.KeyMessage).ToHaveAttributeAsync("role", "alert");
        await Expect(page.Nps).ToHaveTextAsync("–");
        await Expect(page.Page.Locator("#api-key")).ToBeFocusedAsync();
        Assert.DoesNotContain(page.Problems, p => p.StartsWith("uncaught", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_that_may_read_shows_the_scores_and_says_it_may_not_read_the_comments()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, _server.PageAddress, "/?product=" + _product);
        await Expect(page.Page.Locator("#key-form")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Loading });

        await page.Page.FillAsync("#api-key", ReadKey);
        await page.Page.ClickAsync("#key-form button[type=submit]");

        // 45 promoters and 25 detractors of 100.
        await Expect(page.Nps).ToHaveTextAsync("20", new() { Timeout = DashboardPage.Loading });
        await Expect(page.KeyMessage).ToHaveTextAsync("A key is set for this tab.");
        await Expect(page.Page.Locator("#detractors-message")).ToHaveTextAsync(
            "This API key lacks the follow_up scope, which it takes to list detractors' comments, which hold personal data.", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#detractor-list li")).ToHaveCountAsync(0);
        // The key stays with the tab (sessionStorage), so a reload keeps it.
        await page.Page.ReloadAsync();
        await Expect(page.Nps).ToHaveTextAsync("20", new() { Timeout = DashboardPage.Loading });
    }

    [Fact]
    public async Task A_key_with_the_follow_up_scope_also_shows_the_detractors_comments()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, _server.PageAddress, "/?product=" + _product);
        await Expect(page.Page.Locator("#key-form")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Loading });

        await page.Page.FillAsync("#api-key", AnalystKey);
        await page.Page.ClickAsync("#key-form button[type=submit]");

        await Expect(page.Page.Locator("#detractor-list blockquote")).ToHaveTextAsync(["Lost my order"], new() { Timeout = DashboardPage.Loading });
        await Expect(page.Nps).ToHaveTextAsync("20");
    }
}
