using Microsoft.Playwright;
using NpsGrpc.Dashboard.Tests.Support;
using NpsGrpc.Testing;
using static Microsoft.Playwright.Assertions;

namespace NpsGrpc.Dashboard.Tests;

/// <summary>
/// The page as a person sees it, on a laptop and on a phone: readable (WCAG AA contrast, nothing wider than the
/// screen), and the screenshot README shows, taken of a product fed like a live one.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LayoutTests(BrowserFixture browser, DashboardServerFixture fixture) : IAsyncLifetime
{
    /// <summary>The product the screenshot shows: a readable name, which no other test uses.</summary>
    private const string Product = "acme-app";

    private static readonly SemaphoreSlim Seeded = new(1, 1);
    private static bool _seeded;

    public static TheoryData<string> Viewports => ["laptop", "phone"];

    public async Task InitializeAsync()
    {
        // Once per test run: the fixture's Redis lives as long as the run.
        await Seeded.WaitAsync();
        try
        {
            if (!_seeded)
            {
                await Surveys.SubmitAsync(fixture.Server.Host.Client, SampleProduct.Answers(Product, DateTime.UtcNow.Date));
                _seeded = true;
            }
        }
        finally
        {
            Seeded.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Every_text_has_at_least_the_contrast_WCAG_AA_asks(string viewport)
    {
        await using var page = await OpenAsync(viewport);
        // The messages this product has no reason to show are shown too, in their colours: a refused key, a low sample.
        await page.Page.EvaluateAsync(
            """
            () => {
              const key = document.getElementById('key-form');
              key.hidden = false;
              key.dataset.state = 'refused';
              document.getElementById('key-message').textContent = 'The server refused this API key.';
              const low = document.getElementById('low-sample');
              low.hidden = false;
              low.textContent = 'Only 12 responses: under 30, too few to act on.';
            }
            """);

        var failures = await page.Page.EvaluateAsync<string[]>(ContrastFailures);

        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Nothing_is_wider_than_the_screen(string viewport)
    {
        await using var page = await OpenAsync(viewport);

        var overflowing = await page.Page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('body *')]
              .filter(e => e.checkVisibility() && !e.closest('.scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
              .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: right edge at ${e.getBoundingClientRect().right}`)
            """);

        Assert.Empty(overflowing);
        Assert.True(await page.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The page scrolls sideways.");
        // Only the trend's table may scroll sideways in its box (90 rows of four columns); the leaderboard fits.
        Assert.True(
            await page.Page.EvaluateAsync<bool>("() => { const box = document.querySelector('.segments .scroll'); return box.scrollWidth <= box.clientWidth; }"),
            "The segment leaderboard scrolls sideways.");
    }

    /// <summary>Writes docs/dashboard.png (laptop), which README shows, and the phone view beside the test results.</summary>
    [Fact]
    public async Task The_screenshots_show_every_view_of_a_product_with_data()
    {
        await using var laptop = await OpenAsync("laptop");
        await using var phone = await OpenAsync("phone");

        foreach (var page in new[] { laptop, phone })
        {
            await Expect(page.Page.Locator("#segments-table tbody tr")).ToHaveCountAsync(5);
            await Expect(page.Page.Locator("#detractor-list li")).ToHaveCountAsync(8);
            await Expect(page.Page.Locator("#detractor-terms li").First).ToBeVisibleAsync();
            await Expect(page.Page.Locator("#trend-chart")).ToHaveAttributeAsync("data-scored-points", "30");
            page.AssertNoProblems();
        }

        // What README says the screenshot shows (the sample is drawn from a fixed seed).
        await Expect(laptop.Nps).ToHaveTextAsync("20.7");
        await Expect(laptop.Page.Locator("#verdict")).ToHaveTextAsync("region=eu is 21.3 points below region=us, significant at 95 %.");
        await laptop.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "docs", "dashboard.png"), FullPage = true });
        var results = Path.Combine(RepositoryPaths.Root, "TestResults");
        Directory.CreateDirectory(results);
        await phone.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(results, "dashboard-phone.png"), FullPage = true });
    }

    private async Task<DashboardPage> OpenAsync(string viewport)
    {
        var page = await DashboardPage.OpenAsync(
            browser.Browser, fixture.Server.PageAddress, "/?product=" + Product, viewport == "phone" ? DashboardPage.Phone : DashboardPage.Laptop);
        await page.WaitUntilLoadedAsync();
        return page;
    }

    /// <summary>
    /// Every visible text node whose colour has less contrast with the background behind it than WCAG 2 AA asks:
    /// 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The background is the nearest opaque one of the
    /// element or its ancestors.
    /// </summary>
    private const string ContrastFailures =
        """
        () => {
          const rgba = (c) => { const [r, g, b, a = 1] = c.match(/[\d.]+/g).map(Number); return { r, g, b, a }; };
          const luminance = ({ r, g, b }) => {
            const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const background = (element) => {
            for (let e = element; e; e = e.parentElement) {
              const c = rgba(getComputedStyle(e).backgroundColor);
              if (c.a === 1) return c;
            }
            return { r: 255, g: 255, b: 255, a: 1 };
          };
          const failures = [];
          const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = texts.nextNode(); node; node = texts.nextNode()) {
            const element = node.parentElement;
            if (!node.textContent.trim() || !element.checkVisibility({ visibilityProperty: true })) continue;
            const style = getComputedStyle(element);
            const [l1, l2] = [luminance(rgba(style.color)), luminance(background(element))];
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            const size = parseFloat(style.fontSize);
            const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
            if (ratio < (large ? 3 : 4.5)) {
              failures.push(`${element.tagName.toLowerCase()}.${element.className} "${node.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}:1`);
            }
          }
          return failures;
        }
        """;
}
