using System.Globalization;
using Microsoft.Playwright;
using NpsGrpc.Dashboard.Tests.Support;
using NpsGrpc.V1;
using static Microsoft.Playwright.Assertions;
using static NpsGrpc.Dashboard.Tests.Support.Surveys;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Dashboard.Tests;

/// <summary>The dashboard in chromium against the real server, reading what a person reading the page would.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser, DashboardServerFixture fixture)
{
    private DashboardServer Server => fixture.Server;

    private Task<DashboardPage> OpenAsync(string product, ViewportSize? viewport = null) =>
        DashboardPage.OpenAsync(browser.Browser, Server.PageAddress, "/?product=" + Uri.EscapeDataString(product), viewport);

    [Fact]
    public async Task The_page_loads_without_a_console_error()
    {
        var product = UniqueProduct("clean-load");
        await SubmitAsync(Server.Host.Client, Mix(product, 45, 30, 25).In(("region", "eu")));

        await using var page = await OpenAsync(product);
        await page.WaitUntilLoadedAsync();

        page.AssertNoProblems();
        await Expect(page.Page).ToHaveTitleAsync($"NPS · {product}");
    }

    [Fact]
    public async Task Without_a_product_the_page_asks_for_one_and_remembers_the_products_shown()
    {
        var product = UniqueProduct("remembered");
        await SubmitAsync(Server.Host.Client, Mix(product, 3, 1, 1));
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server.PageAddress, "/");

        await Expect(page.Page.Locator("#welcome")).ToBeVisibleAsync();
        await page.Page.FillAsync("#product", product);
        await page.Page.ClickAsync("#scope-form button[type=submit]");

        await Expect(page.Nps).ToHaveTextAsync("40", new() { Timeout = DashboardPage.Loading });
        Assert.EndsWith("/?product=" + product, page.Page.Url, StringComparison.Ordinal);
        await Expect(page.Page.Locator("#recent-products option")).ToHaveAttributeAsync("value", product);
        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_reference_example_shows_NPS_20_between_14_9_and_25_0()
    {
        var product = UniqueProduct("reference");
        await SubmitAsync(Server.Host.Client, Mix(product, 450, 300, 250));

        await using var page = await OpenAsync(product);

        await Expect(page.Nps).ToHaveTextAsync("20", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Interval).ToHaveTextAsync("95 % confidence: 14.9 to 25.0");
        await Expect(page.Page.Locator("#groups")).ToContainTextAsync("Promoters450 (45 %)");
        await Expect(page.Page.Locator("#groups")).ToContainTextAsync("Detractors250 (25 %)");
        await Expect(page.Page.Locator("#low-sample")).ToBeHiddenAsync();
        // The 0-10 bars: each names its answer, its count and its category.
        var bars = await page.Page.Locator("#bars li").EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-label') + ' ' + b.className)");
        Assert.Equal(11, bars.Length);
        Assert.Equal("3: 250 responses (detractor) bar detractor", bars[3]);
        Assert.Equal("8: 300 responses (passive) bar passive", bars[8]);
        Assert.Equal("10: 450 responses (promoter) bar promoter", bars[10]);
        Assert.Equal("0: 0 responses (detractor) bar detractor", bars[0]);
    }

    [Fact]
    public async Task Under_30_responses_the_headline_warns_that_the_sample_is_too_small()
    {
        var product = UniqueProduct("thin");
        await SubmitAsync(Server.Host.Client, Mix(product, 5, 3, 2));

        await using var page = await OpenAsync(product);

        await Expect(page.Nps).ToHaveTextAsync("30", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#low-sample")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#low-sample")).ToContainTextAsync("Only 10 responses: under 30, too few to act on.");
    }

    [Fact]
    public async Task A_batch_submitted_while_the_page_is_open_updates_the_headline_within_2_seconds_without_a_reload()
    {
        var product = UniqueProduct("live");
        await SubmitAsync(Server.Host.Client, Mix(product, 450, 300, 250));
        await using var page = await OpenAsync(product);
        await Expect(page.Nps).ToHaveTextAsync("20", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live");
        // Survives only as long as the document does: a reload would drop it.
        await page.Page.EvaluateAsync("() => { window.sameDocument = true; }");
        var navigations = 0;
        page.Page.FrameNavigated += (_, _) => Interlocked.Increment(ref navigations);

        // 450 + 250 promoters of 1250: 56 % against 20 %, NPS 36.
        await SubmitAsync(Server.Host.Client, Mix(product, 250, 0, 0));

        await Expect(page.Nps).ToHaveTextAsync("36", new() { Timeout = 2_000 });
        await Expect(page.Page.Locator("#groups")).ToContainTextAsync("Responses1,250");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "The page was reloaded.");
        Assert.Equal(0, navigations);
        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_trend_shows_one_point_per_period_and_scores_the_periods_with_responses()
    {
        var product = UniqueProduct("trend");
        var today = DateTime.UtcNow.Date;
        DateTime[] days = [today, today.AddDays(-3), today.AddDays(-10)];
        await SubmitAsync(Server.Host.Client, days.SelectMany(day => Mix(product, 6, 2, 2).Select(r => r.On(day))));
        await using var page = await OpenAsync(product);

        // Days: the last 30, today's included.
        await Expect(page.Page.Locator("#trend-caption")).ToContainTextAsync("30 points, daily, the last 30 days", new() { Timeout = DashboardPage.Loading });
        var rows = await page.RowsAsync("#trend-table");
        Assert.Equal(30, rows.Count);
        var pageToday = PageToday(rows, today);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => pageToday.AddDays(i - 29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Equal(days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Order(), rows.Where(r => r[1] != "–").Select(r => r[0]).Order());
        Assert.All(rows.Where(r => r[1] != "–"), r => Assert.Equal(["40.0", "10"], [r[1], r[3]]));
        await Expect(page.Page.Locator("#trend-chart")).ToHaveAttributeAsync("data-points", "30");
        await Expect(page.Page.Locator("#trend-chart")).ToHaveAttributeAsync("data-scored-points", "3");

        // Weeks and months: the last 12 of each; the answers fall in as many as there are distinct ones among them.
        await page.Page.SelectOptionAsync("#trend-kind", "week");
        await Expect(page.Page.Locator("#trend-caption")).ToContainTextAsync("12 points, weekly", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#trend-chart")).ToHaveAttributeAsync("data-scored-points", days.Select(Monday).Distinct().Count().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(12, (await page.RowsAsync("#trend-table")).Count);
        Assert.EndsWith("trend=week", page.Page.Url, StringComparison.Ordinal);

        await page.Page.SelectOptionAsync("#trend-kind", "month");
        await Expect(page.Page.Locator("#trend-caption")).ToContainTextAsync("12 points, monthly", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#trend-chart")).ToHaveAttributeAsync("data-scored-points", days.Select(d => d.Month).Distinct().Count().ToString(CultureInfo.InvariantCulture));

        // Rolling 30 days: each of the last 90 days scored over the 30 days ending with it, so every day from the
        // first answer on has a score, and the last one counts all 30 answers.
        await page.Page.SelectOptionAsync("#trend-kind", "rolling30");
        await Expect(page.Page.Locator("#trend-caption")).ToContainTextAsync("90 points, each day's score over the 30 days ending with it", new() { Timeout = DashboardPage.Loading });
        rows = await page.RowsAsync("#trend-table");
        Assert.Equal(90, rows.Count);
        pageToday = PageToday(rows, today);
        var scoredDays = (pageToday - today.AddDays(-10)).Days + 1;
        await Expect(page.Page.Locator("#trend-chart")).ToHaveAttributeAsync("data-scored-points", scoredDays.ToString(CultureInfo.InvariantCulture));
        Assert.Equal([pageToday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "40.0", "30"], [rows[^1][0], rows[^1][1], rows[^1][3]]);
        page.AssertNoProblems();
    }

    /// <summary>
    /// The day the page took as today (its last row), from the browser's own clock: the day the answers were sent, or
    /// the next when the test runs across midnight UTC.
    /// </summary>
    private static DateTime PageToday(IReadOnlyList<IReadOnlyList<string>> rows, DateTime today)
    {
        var last = DateTime.ParseExact(rows[^1][0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.True(last == today || last == today.AddDays(1), $"The page's last day is {rows[^1][0]}; the answers were sent on {today:yyyy-MM-dd}.");
        return last;
    }

    [Fact]
    public async Task The_segment_leaderboard_sorts_by_the_column_clicked()
    {
        var product = UniqueProduct("leaderboard");
        await SubmitAsync(Server.Host.Client, SegmentedProduct(product));
        await using var page = await OpenAsync(product);
        await Expect(page.Page.Locator("#segments-table tbody tr")).ToHaveCountAsync(5, new() { Timeout = DashboardPage.Loading });

        // Highest NPS first, each with the interval the API gives it.
        Assert.Equal(["channel=web", "region=us", "channel=app", "region=eu", "region=asia"], await SegmentOrderAsync(page));
        var us = (await Server.Host.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "region=us" })).Score;
        Assert.Equal(
            ["region=us", "32.0", FormattableString.Invariant($"{us.ConfidenceInterval.Lower:F1} to {us.ConfidenceInterval.Upper:F1}"), "400"],
            (await page.RowsAsync("#segments-table"))[1]);

        await page.Page.ClickAsync("#segments-table thead button:has-text('Responses')");
        Assert.Equal(["region=eu", "region=us", "channel=app", "channel=web", "region=asia"], await SegmentOrderAsync(page));
        await Expect(page.Page.Locator("#segments-table th[aria-sort]")).ToHaveAttributeAsync("aria-sort", "descending");

        await page.Page.ClickAsync("#segments-table thead button:has-text('Responses')");
        Assert.Equal(["region=asia", "channel=app", "channel=web", "region=us", "region=eu"], await SegmentOrderAsync(page));
        await Expect(page.Page.Locator("#segments-table th[aria-sort]")).ToHaveAttributeAsync("aria-sort", "ascending");

        await page.Page.ClickAsync("#segments-table thead button:has-text('Segment')");
        Assert.Equal(["channel=app", "channel=web", "region=asia", "region=eu", "region=us"], await SegmentOrderAsync(page));

        // A segment's name shows the page for that segment.
        await page.Page.ClickAsync("#segments-table tbody button:has-text('region=asia')");
        await Expect(page.Nps).ToHaveTextAsync("-10", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#segment")).ToHaveValueAsync("region=asia");
        Assert.Contains("segment=region%3Dasia", page.Page.Url, StringComparison.Ordinal);
        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_comparison_says_in_words_how_far_apart_two_segments_are_and_whether_it_is_significant()
    {
        var product = UniqueProduct("compare");
        await SubmitAsync(Server.Host.Client, SegmentedProduct(product));
        await using var page = await OpenAsync(product);
        var verdict = page.Page.Locator("#verdict");

        // The two largest segments of one key, first.
        await Expect(verdict).ToHaveTextAsync("region=eu is 12 points below region=us, significant at 95 %.", new() { Timeout = DashboardPage.Loading });
        await Expect(page.Page.Locator("#compare-detail")).ToContainTextAsync("NPS 20 (500 responses) against 32 (400 responses)");

        await page.Page.SelectOptionAsync("#compare-segment-0", "channel=web");
        await page.Page.SelectOptionAsync("#compare-segment-1", "channel=app");
        await Expect(verdict).ToHaveTextAsync("channel=web is 2 points above channel=app, not significant at 95 %: chance alone could explain it.", new() { Timeout = DashboardPage.Loading });

        await page.Page.SelectOptionAsync("#compare-segment-0", "region=asia");
        await page.Page.SelectOptionAsync("#compare-segment-1", "region=us");
        await Expect(verdict).ToHaveTextAsync("region=asia is 42 points below region=us, but there are too few responses to tell: region=asia has fewer than 30.", new() { Timeout = DashboardPage.Loading });

        // Two periods of the whole product: everything was answered today, so this month holds it all.
        await page.Page.SelectOptionAsync("#compare-segment-0", "");
        await page.Page.SelectOptionAsync("#compare-period-0", "this-month");
        await page.Page.SelectOptionAsync("#compare-segment-1", "");
        await page.Page.SelectOptionAsync("#compare-period-1", "last-month");
        await Expect(verdict).ToContainTextAsync("no responses", new() { Timeout = DashboardPage.Loading });
        await Expect(verdict.Locator(".note.info")).ToBeVisibleAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_latest_detractors_show_their_comments_as_written()
    {
        var product = UniqueProduct("detractors");
        var today = DateTime.UtcNow.Date;
        await SubmitAsync(Server.Host.Client,
        [
            Answer(product, 2, ("region", "eu")).On(today.AddHours(-30)).By("r1").Saying("Checkout failed twice"),
            Answer(product, 10).On(today.AddHours(-20)).By("r2").Saying("Love it"),
            Answer(product, 0).On(today.AddHours(-10)).By("r3").Saying("<b>Support</b> never answered <img src=x onerror=alert(1)>"),
            Answer(product, 6).On(today.AddHours(-40)),
        ]);
        await using var page = await OpenAsync(product);

        var comments = page.Page.Locator("#detractor-list blockquote");
        await Expect(comments).ToHaveCountAsync(2, new() { Timeout = DashboardPage.Loading });
        // Newest first, exactly as written: markup in a comment is text, never HTML.
        Assert.Equal(["<b>Support</b> never answered <img src=x onerror=alert(1)>", "Checkout failed twice"], await comments.AllInnerTextsAsync());
        await Expect(page.Page.Locator("#detractor-list img")).ToHaveCountAsync(0);
        await Expect(page.Page.Locator("#detractor-list li").Nth(1)).ToContainTextAsync("region=eu");
        await Expect(page.Page.Locator("#detractor-list .score-badge")).ToHaveTextAsync(["0", "2"]);
        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_key_terms_name_the_words_that_set_detractors_apart_from_promoters()
    {
        var product = UniqueProduct("terms");
        await SubmitAsync(Server.Host.Client, Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            Answer(product, 2).By($"d{i}").Saying("The checkout is slow"),
            Answer(product, 10).By($"p{i}").Saying("Great support"),
        }));
        await using var page = await OpenAsync(product);

        await Expect(page.Page.Locator("#terms-message")).ToHaveTextAsync("From 20 detractor comments and 20 promoter comments in the last three months.", new() { Timeout = DashboardPage.Loading });
        var detractorTerms = await page.Page.Locator("#detractor-terms .term").AllInnerTextsAsync();
        var promoterTerms = await page.Page.Locator("#promoter-terms .term").AllInnerTextsAsync();
        Assert.Equal(["checkout", "slow"], detractorTerms.Order());
        Assert.Equal(["great", "support"], promoterTerms.Order());
        await Expect(page.Page.Locator("#detractor-terms li").First).ToContainTextAsync("20×");
    }

    /// <summary>
    /// region=eu: 500 responses, NPS 20; region=us: 400, NPS 32 (of which channel=web 200, NPS 33 and channel=app 200,
    /// NPS 31); region=asia: 20, NPS -10.
    /// </summary>
    private static IEnumerable<SurveyResponse> SegmentedProduct(string product) =>
        Mix(product, 200, 200, 100).In(("region", "eu"))
            .Concat(Mix(product, 100, 66, 34).In(("region", "us"), ("channel", "web")))
            .Concat(Mix(product, 100, 62, 38).In(("region", "us"), ("channel", "app")))
            .Concat(Mix(product, 6, 6, 8).In(("region", "asia")));

    private static async Task<IReadOnlyList<string>> SegmentOrderAsync(DashboardPage page) =>
        [.. (await page.RowsAsync("#segments-table")).Select(row => row[0])];

    private static DateTime Monday(DateTime day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
