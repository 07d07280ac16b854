using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NpsGrpc.Dashboard.Tests.Support;

/// <summary>
/// The dashboard open in its own browser context, with everything that went wrong in it recorded: console errors,
/// uncaught exceptions, failed requests and HTTP error answers.
/// </summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>Laptop size: what the README screenshot shows.</summary>
    public static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };

    /// <summary>A phone held upright (CSS pixels of a common model).</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>How long the page may take to load a view: generous, for a loaded CI machine.</summary>
    public static readonly float Loading = 20_000;

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.RequestFailed += (_, request) =>
        {
            // ERR_ABORTED is the page cancelling a call itself: a watch it no longer needs (another product or
            // segment shown, or a stream ended by an error status), never a call that could not reach the server.
            if (request.Failure != "net::ERR_ABORTED")
            {
                Record($"request failed: {request.Method} {request.Url} ({request.Failure})");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Record($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>What went wrong in the page so far.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Fails naming each problem, when anything went wrong in the page.</summary>
    public void AssertNoProblems()
    {
        var problems = Problems;
        Assert.True(problems.Count == 0, "The page had problems:\n" + string.Join("\n", problems));
    }

    public ILocator Nps => Page.Locator("#nps-value");

    public ILocator Interval => Page.Locator("#nps-interval");

    public ILocator KeyMessage => Page.Locator("#key-message");

    public static async Task<DashboardPage> OpenAsync(IBrowser browser, Uri address, string query, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? Laptop });
        var page = new DashboardPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(new Uri(address, query).ToString());
        return page;
    }

    /// <summary>Waits until the headline shows a score (the live status says so) and every other view has loaded.</summary>
    public async Task WaitUntilLoadedAsync()
    {
        await Expect(Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = Loading });
        foreach (var view in new[] { "#trend-caption", "#verdict", "#terms-message" })
        {
            await Expect(Page.Locator(view)).Not.ToBeEmptyAsync(new() { Timeout = Loading });
        }

        await Expect(Page.Locator("#verdict")).Not.ToHaveAttributeAsync("data-state", "loading", new() { Timeout = Loading });
        await Expect(Page.Locator("#detractor-list li, #detractors-message .note").First).ToBeVisibleAsync(new() { Timeout = Loading });
    }

    /// <summary>The rows of a table, each as its cells' texts.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> RowsAsync(string table)
    {
        var rows = Page.Locator($"{table} tbody tr");
        var result = new List<IReadOnlyList<string>>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            // Text content, not inner text: a table inside a closed <details> is not rendered, and has no inner text.
            result.Add([.. (await rows.Nth(i).Locator("th, td").AllTextContentsAsync()).Select(text => text.Trim())]);
        }

        return result;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
