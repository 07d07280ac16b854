using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class CompareScoresTests(ScoringServerFixture fixture)
{
    [Theory]
    [InlineData(450, 300, 250, 400, 300, 300, 10, 3.6742, 2.7217, 0.006496, true)]
    [InlineData(50, 30, 20, 40, 30, 30, 20, 11.4018, 1.7541, 0.07941, false)]
    public async Task The_reference_two_group_table_comes_back_to_four_significant_digits(
        int p1, int pa1, int d1, int p2, int pa2, int d2, double delta, double se, double z, double p, bool significant)
    {
        // Two segments of one product, as "EU against US" would be.
        var product = UniqueProduct("compare");
        var responses = Mix(product, p1, pa1, d1).Select(r => Label(r, "region", "eu"))
            .Concat(Mix(product, p2, pa2, d2).Select(r => Label(r, "region", "us")));
        await SubmissionStream.SubmitAllAsync(fixture.Client, [.. responses.Chunk(1000).Select(chunk => Batch(chunk))]);

        var comparison = await fixture.Client.CompareScoresAsync(new CompareScoresRequest
        {
            First = new ScoreScope { ProductId = product, Segment = "region=eu" },
            Second = new ScoreScope { ProductId = product, Segment = "region=us" },
        });

        Assert.Equal(p1 + pa1 + d1, comparison.First.Total);
        Assert.Equal(p2 + pa2 + d2, comparison.Second.Total);
        Assert.Equal(delta, comparison.Difference, 10);
        Assert.Equal(se, comparison.StandardError, 4);
        Assert.Equal(z, comparison.Z, 4);
        Assert.Equal(p, comparison.PValue, p < 0.01 ? 6 : 5);
        Assert.Equal(significant, comparison.Significant);
        Assert.Equal(95, comparison.DifferenceInterval.ConfidencePercent);
        Assert.Equal(delta - (1.959964 * comparison.StandardError), comparison.DifferenceInterval.Lower, 4);
    }

    [Fact]
    public async Task Two_different_products_can_be_compared_at_a_chosen_confidence_level()
    {
        var a = UniqueProduct("compare-a");
        var b = UniqueProduct("compare-b");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(a, 50, 30, 20)), Batch(Mix(b, 40, 30, 30)));

        var at95 = await fixture.Client.CompareScoresAsync(new CompareScoresRequest { First = Scope(a), Second = Scope(b) });
        var at90 = await fixture.Client.CompareScoresAsync(new CompareScoresRequest { First = Scope(a), Second = Scope(b), ConfidencePercent = 90 });

        // p = 0.0794: not significant at 95 %, significant at 90 %.
        Assert.False(at95.Significant);
        Assert.True(at90.Significant);
        Assert.Equal(at95.PValue, at90.PValue);
        Assert.Equal(90, at90.DifferenceInterval.ConfidencePercent);
        Assert.True(at90.DifferenceInterval.Upper - at90.DifferenceInterval.Lower < at95.DifferenceInterval.Upper - at95.DifferenceInterval.Lower);
    }

    [Fact]
    public async Task Comparing_with_a_scope_that_has_no_responses_is_not_found_and_says_which()
    {
        var known = UniqueProduct("compare-known");
        var unknown = UniqueProduct("compare-unknown");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(known, 1, 0, 0)));

        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.CompareScoresAsync(new CompareScoresRequest { First = Scope(known), Second = Scope(unknown) }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Contains(unknown, exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_comparison_lists_every_offending_field_with_its_path()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CompareScoresAsync(new CompareScoresRequest
        {
            First = new ScoreScope { ProductId = "ok", Segment = "no-equals-sign" },
            ConfidencePercent = 100,
        }).ResponseAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Equal(["confidence_percent", "first.segment", "second"], violations.Keys.Order(StringComparer.Ordinal));
    }

    private static ScoreScope Scope(string product) => new() { ProductId = product };

    private static SurveyResponse Label(SurveyResponse response, string key, string value)
    {
        response.Segments[key] = value;
        return response;
    }
}
