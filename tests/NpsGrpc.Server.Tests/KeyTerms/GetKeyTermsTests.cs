using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.KeyTerms;

/// <summary>GetKeyTerms over the real server, on term hashes written as the documented key layout has them.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class GetKeyTermsTests(ScoringServerFixture fixture)
{
    private static readonly DateTime ThisMonth = new(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Each_term_has_its_counts_and_the_z_of_the_contract_formula()
    {
        var product = await CountedProductAsync("key-terms");
        var month = Month(ThisMonth);
        await WriteAsync(product, 'D', month, 6, ("slow", 30), ("support", 20), ("app", 50));
        await WriteAsync(product, 'N', month, 2, ("slow", 4), ("app", 16));
        await WriteAsync(product, 'P', month, 7, ("love", 25), ("easy", 20), ("app", 50), ("slow", 1));
        await WriteSurfacesAsync(product, month, ("slow slow", 30), ("slow slowly", 5), ("support support", 20), ("app apps", 90), ("app app", 26), ("love loved", 15), ("love love", 10), ("easy easy", 20));

        var response = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product });

        // nD = 100, nN = 20, nP = 96, n = 216; the prior of each term is its count in all three.
        Assert.Equal(
            [("slow", 30L, 4L, 1L, Rounded(30, 1, 35, 100, 96, 216)), ("support", 20L, 0L, 0L, Rounded(20, 0, 20, 100, 96, 216))],
            response.DetractorTerms.Select(Tuple));
        Assert.Equal(
            [("loved", 0L, 0L, 25L, Rounded(0, 25, 25, 100, 96, 216)), ("easy", 0L, 0L, 20L, Rounded(0, 20, 20, 100, 96, 216))],
            response.PromoterTerms.Select(Tuple));
        Assert.Equal((6L, 2L, 7L), (response.DetractorCommentCount, response.PassiveCommentCount, response.PromoterCommentCount));
    }

    [Fact]
    public async Task A_term_is_shown_as_its_most_written_surface()
    {
        var product = await CountedProductAsync("key-terms-surface");
        var month = Month(ThisMonth);
        await WriteAsync(product, 'D', month, 5, ("crash", 40), ("app", 60));
        await WriteAsync(product, 'P', month, 5, ("app", 100));
        await WriteSurfacesAsync(product, month, ("crash crashes", 25), ("crash crashed", 15));

        var response = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product });

        Assert.Equal("crashes", Assert.Single(response.DetractorTerms).Term);
    }

    [Fact]
    public async Task By_default_only_this_month_and_the_two_before_it_count()
    {
        var product = await CountedProductAsync("key-terms-default");
        await WriteAsync(product, 'D', Month(ThisMonth.AddMonths(-2)), 3, ("slow", 30), ("app", 70));
        await WriteAsync(product, 'D', Month(ThisMonth.AddMonths(-3)), 3, ("refund", 50), ("app", 50));
        await WriteAsync(product, 'P', Month(ThisMonth), 3, ("app", 100));

        var response = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product });
        var withTheOlderMonth = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest
        {
            ProductId = product,
            StartTime = Timestamp.FromDateTime(ThisMonth.AddMonths(-3)),
        });

        Assert.Equal(["slow"], response.DetractorTerms.Select(term => term.Term));
        Assert.Equal(3, response.DetractorCommentCount);
        Assert.Equal(["refund", "slow"], withTheOlderMonth.DetractorTerms.Select(term => term.Term).Order(StringComparer.Ordinal));
        Assert.Equal(6, withTheOlderMonth.DetractorCommentCount);
    }

    [Fact]
    public async Task The_criteria_of_the_request_select_the_terms()
    {
        var product = await CountedProductAsync("key-terms-criteria");
        var month = Month(ThisMonth);
        await WriteAsync(product, 'D', month, 9, ("slow", 60), ("crash", 40), ("price", 25), ("app", 100));
        await WriteAsync(product, 'P', month, 9, ("app", 225));

        var two = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product, MaxTerms = 2 });
        var strong = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product, MinZ = Z(40, 0, 40, 225, 225, 450) });
        var common = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product, MinCount = 41 });

        Assert.Equal(["slow", "crash"], two.DetractorTerms.Select(term => term.Term));
        Assert.Equal(["slow"], strong.DetractorTerms.Select(term => term.Term));
        Assert.Equal(["slow"], common.DetractorTerms.Select(term => term.Term));
    }

    [Fact]
    public async Task A_product_without_comments_has_no_key_terms()
    {
        var product = await CountedProductAsync("key-terms-silent");

        var response = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product });

        Assert.Empty(response.DetractorTerms);
        Assert.Empty(response.PromoterTerms);
        Assert.Equal(0, response.DetractorCommentCount + response.PassiveCommentCount + response.PromoterCommentCount);
    }

    [Fact]
    public async Task A_product_never_counted_is_NOT_FOUND()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = UniqueProduct("key-terms-unknown") }).ResponseAsync);

        StatusAssertions.ErrorInfo(failure, StatusCode.NotFound, ErrorReason.ProductNotFound);
    }

    [Fact]
    public async Task Every_bad_field_is_named_and_nothing_is_read()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest
        {
            ProductId = "bad product",
            StartTime = Timestamp.FromDateTime(ThisMonth.AddDays(14)),
            EndTime = Timestamp.FromDateTime(ThisMonth.AddHours(1)),
            MinZ = -1,
            MinCount = 1_000_001,
            MaxTerms = 101,
        }).ResponseAsync);

        var fields = StatusAssertions.FieldViolations(failure);
        Assert.Equal(["end_time", "max_terms", "min_count", "min_z", "product_id", "start_time"], fields.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_interval_over_thirty_six_months_is_INVALID_ARGUMENT()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest
        {
            ProductId = "app",
            StartTime = Timestamp.FromDateTime(ThisMonth.AddMonths(-37)),
            EndTime = Timestamp.FromDateTime(ThisMonth),
        }).ResponseAsync);

        Assert.Contains("37 months", StatusAssertions.FieldViolations(failure)["end_time"], StringComparison.Ordinal);
    }

    /// <summary>The z of the GetKeyTerms contract, worked out here on its own.</summary>
    internal static double Z(long yD, long yP, long a, long nD, long nP, long a0)
    {
        var delta = Math.Log((yD + a) / (double)(nD + a0 - yD - a)) - Math.Log((yP + a) / (double)(nP + a0 - yP - a));
        return delta / Math.Sqrt((1.0 / (yD + a)) + (1.0 / (yP + a)));
    }

    private static double Rounded(long yD, long yP, long a, long nD, long nP, long a0) => Math.Round(Z(yD, yP, a, nD, nP, a0), 10);

    private static (string, long, long, long, double) Tuple(V1.KeyTerm term) =>
        (term.Term, term.DetractorCount, term.PassiveCount, term.PromoterCount, Math.Round(term.ZScore, 10));

    private static string Month(DateTime month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task<string> CountedProductAsync(string name)
    {
        var product = UniqueProduct(name);
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 9)], string.Empty, 1));
        return product;
    }

    private async Task WriteAsync(string product, char category, string month, long comments, params (string Stem, long Count)[] terms) =>
        await TermHashes.WriteCountsAsync(await fixture.Redis.AdminAsync(), product, category, month, comments, terms);

    private async Task WriteSurfacesAsync(string product, string month, params (string Field, long Count)[] surfaces) =>
        await TermHashes.WriteSurfacesAsync(await fixture.Redis.AdminAsync(), product, month, surfaces);
}
