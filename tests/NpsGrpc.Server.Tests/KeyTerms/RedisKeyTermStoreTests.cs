using Microsoft.Extensions.Options;
using NpsGrpc.Core.KeyTerms;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Redis;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.KeyTerms;

/// <summary>
/// The read side of key terms on the documented key layout (design of issue 13), written here with plain HSETs as
/// the apply script writes them.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class RedisKeyTermStoreTests(ScoringServerFixture fixture) : IAsyncLifetime
{
    private static readonly DateOnly September = new(2026, 9, 1);
    private static readonly DateOnly October = new(2026, 10, 1);
    private static readonly DateOnly November = new(2026, 11, 1);

    private ConnectionMultiplexer _connection = null!;
    private IDatabase _admin = null!;
    private RedisKeyTermStore _store = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        _admin = await fixture.Redis.AdminAsync();
        _store = new RedisKeyTermStore(_connection, Options.Create(new RedisStoreOptions()));
    }

    public async Task DisposeAsync() => await _connection.CloseWithoutQuitAsync();

    [Fact]
    public async Task Each_category_is_summed_over_the_months_read()
    {
        var product = await CountedProductAsync("terms-sum");
        await WriteAsync(product, 'D', "2026-09", comments: 2, ("slow", 3), ("support", 1));
        await WriteAsync(product, 'D', "2026-10", comments: 1, ("slow", 2));
        await WriteAsync(product, 'N', "2026-10", comments: 1, ("slow", 1), ("price", 1));
        await WriteAsync(product, 'P', "2026-09", comments: 4, ("love", 5));

        var tallies = (await _store.GetTermTalliesAsync(product, [September, October], CancellationToken.None))!;

        Assert.Equal(new Dictionary<string, long> { ["slow"] = 5, ["support"] = 1 }, tallies[ScoreCategory.Detractor].Counts);
        Assert.Equal(new Dictionary<string, long> { ["slow"] = 1, ["price"] = 1 }, tallies[ScoreCategory.Passive].Counts);
        Assert.Equal(new Dictionary<string, long> { ["love"] = 5 }, tallies[ScoreCategory.Promoter].Counts);
        Assert.Equal((3L, 1L, 4L), (tallies[ScoreCategory.Detractor].Comments, tallies[ScoreCategory.Passive].Comments, tallies[ScoreCategory.Promoter].Comments));
        Assert.Equal((6L, 2L, 5L), (tallies[ScoreCategory.Detractor].Terms, tallies[ScoreCategory.Passive].Terms, tallies[ScoreCategory.Promoter].Terms));
    }

    [Fact]
    public async Task Months_outside_those_asked_for_are_not_counted()
    {
        var product = await CountedProductAsync("terms-months");
        await WriteAsync(product, 'D', "2026-09", comments: 1, ("slow", 1));
        await WriteAsync(product, 'D', "2026-11", comments: 1, ("crash", 7));

        var tallies = (await _store.GetTermTalliesAsync(product, [October, November], CancellationToken.None))!;

        Assert.Equal(new Dictionary<string, long> { ["crash"] = 7 }, tallies[ScoreCategory.Detractor].Counts);
        Assert.Equal(1, tallies[ScoreCategory.Detractor].Comments);
    }

    [Fact]
    public async Task The_readable_form_is_the_surface_most_written_over_all_the_months_read()
    {
        var product = await CountedProductAsync("terms-surfaces");
        await TermHashes.WriteSurfacesAsync(_admin, product, "2026-09", ("crash crashes", 3), ("crash crashed", 1), ("lent lente", 1));
        await TermHashes.WriteSurfacesAsync(_admin, product, "2026-10", ("crash crashed", 3), ("lent lentes", 2));
        await TermHashes.WriteSurfacesAsync(_admin, product, "2026-11", ("crash crash", 50));

        var tallies = (await _store.GetTermTalliesAsync(product, [September, October], CancellationToken.None))!;

        Assert.Equal("crashed", tallies.ReadableForm("crash"));
        Assert.Equal("lentes", tallies.ReadableForm("lent"));
    }

    [Fact]
    public async Task A_product_never_counted_has_no_term_tallies()
    {
        Assert.Null(await _store.GetTermTalliesAsync(UniqueProduct("terms-unknown"), [September], CancellationToken.None));
    }

    [Fact]
    public async Task A_counted_product_without_comments_has_empty_term_tallies()
    {
        var product = await CountedProductAsync("terms-silent");

        var tallies = await _store.GetTermTalliesAsync(product, [September, October, November], CancellationToken.None);

        Assert.NotNull(tallies);
        Assert.Empty(tallies.Stems);
        Assert.Equal(0, tallies[ScoreCategory.Detractor].Comments);
    }

    [Fact]
    public async Task The_key_layout_names_the_term_hashes_as_the_design_documents()
    {
        var layout = new RedisKeyLayout("nps");

        Assert.Equal("nps:{app}:t:D:2026-11", (string?)layout.Terms("app", ScoreCategory.Detractor, "2026-11"));
        Assert.Equal("nps:{app}:t:N:2026-11", (string?)layout.Terms("app", ScoreCategory.Passive, "2026-11"));
        Assert.Equal("nps:{app}:t:P:2026-11", (string?)layout.Terms("app", ScoreCategory.Promoter, "2026-11"));
        Assert.Equal("nps:{app}:tf:2026-11", (string?)layout.TermSurfaces("app", "2026-11"));
    }

    /// <summary>A product the store knows: its all-time tally exists, as after any counted answer.</summary>
    private async Task<string> CountedProductAsync(string name)
    {
        var product = UniqueProduct(name);
        await _admin.HashSetAsync($"nps:{{{product}}}:all", "9", 1);
        return product;
    }

    private Task WriteAsync(string product, char category, string month, long comments, params (string Stem, long Count)[] terms) =>
        TermHashes.WriteCountsAsync(_admin, product, category, month, comments, terms);
}
