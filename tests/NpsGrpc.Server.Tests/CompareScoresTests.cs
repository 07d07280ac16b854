using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class CompareScoresTests(ScoringServerFixture fixture)
{
    [Theory]
    [InlineData(450, 300, 250, 400, 300, 300, 10, 3.6675, 2.7185, 0.006558, 2.7819, 17.1583, ComparisonVerdict.Significant)]
    [InlineData(50, 30, 20, 40, 30, 30, 20, 11.2089, 1.7323, 0.08322, -2.5516, 41.3865, ComparisonVerdict.NotSignificant)]
    public async Task The_reference_two_group_table_comes_back_to_four_significant_digits(
        int p1, int pa1, int d1, int p2, int pa2, int d2, double delta, double se, double z, double p,
        double lower, double upper, ComparisonVerdict verdict)
    {
        var product = await SubmitSegmentsAsync("compare", (p1, pa1, d1), (p2, pa2, d2));

        var comparison = await CompareSegmentsAsync(product);

        Assert.Equal(p1 + pa1 + d1, comparison.First.Total);
        Assert.Equal(p2 + pa2 + d2, comparison.Second.Total);
        Assert.Equal(delta, comparison.Difference, 10);
        Assert.Equal(se, comparison.StandardError, 4);
        Assert.Equal(z, comparison.Z, 4);
        Assert.Equal(p, comparison.PValue, p < 0.01 ? 6 : 5);
        Assert.Equal(95, comparison.DifferenceInterval.ConfidencePercent);
        Assert.Equal(lower, comparison.DifferenceInterval.Lower, 4);
        Assert.Equal(upper, comparison.DifferenceInterval.Upper, 4);
        Assert.Equal(verdict, comparison.Verdict);
        Assert.Equal(verdict == ComparisonVerdict.Significant, comparison.Significant);
    }

    [Fact]
    public async Task Two_segments_of_one_answer_each_are_insufficient_data_never_significant()
    {
        var product = await SubmitSegmentsAsync("compare-one-each", (1, 0, 0), (0, 0, 1));

        var comparison = await CompareSegmentsAsync(product);

        Assert.Equal(200, comparison.Difference);
        Assert.False(comparison.Significant);
        Assert.Equal(ComparisonVerdict.InsufficientData, comparison.Verdict);
        Assert.True(comparison.First.LowSample && comparison.Second.LowSample);
        Assert.Equal(53.0330, comparison.StandardError, 4);
        Assert.Equal(0.9428, comparison.Z, 4);
    }

    [Fact]
    public async Task Two_different_products_can_be_compared_at_a_chosen_confidence_level()
    {
        var a = UniqueProduct("compare-a");
        var b = UniqueProduct("compare-b");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(a, 50, 30, 20)), Batch(Mix(b, 40, 30, 30)));

        var at95 = await fixture.Client.CompareScoresAsync(new CompareScoresRequest { First = Scope(a), Second = Scope(b) });
        var at90 = await fixture.Client.CompareScoresAsync(new CompareScoresRequest { First = Scope(a), Second = Scope(b), ConfidencePercent = 90 });

        // p = 0.0832: not significant at 95 %, significant at 90 %.
        Assert.False(at95.Significant);
        Assert.Equal(ComparisonVerdict.NotSignificant, at95.Verdict);
        Assert.True(at90.Significant);
        Assert.Equal(ComparisonVerdict.Significant, at90.Verdict);
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
    public async Task Comparing_with_a_scope_that_has_no_responses_in_its_interval_is_a_failed_precondition_that_says_which()
    {
        var product = UniqueProduct("compare-empty-month");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1, 0, 0).Select(r => r.AnsweredAt("2025-02-10T10:00:00Z"))));

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CompareScoresAsync(new CompareScoresRequest
        {
            First = new ScoreScope { ProductId = product },
            Second = new ScoreScope { ProductId = product, StartTime = Time.At("2025-01-01T00:00:00Z"), EndTime = Time.At("2025-02-01T00:00:00Z") },
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, exception.StatusCode);
        Assert.Contains("second scope has no responses in its interval", exception.Status.Detail, StringComparison.Ordinal);
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

    /// <summary>One product with two segments, as "EU against US" would be: region=eu and region=us.</summary>
    private async Task<string> SubmitSegmentsAsync(string name, (int P, int Pa, int D) eu, (int P, int Pa, int D) us)
    {
        var product = UniqueProduct(name);
        var responses = Mix(product, eu.P, eu.Pa, eu.D).Select(r => Label(r, "region", "eu"))
            .Concat(Mix(product, us.P, us.Pa, us.D).Select(r => Label(r, "region", "us")));
        await SubmissionStream.SubmitAllAsync(fixture.Client, [.. responses.Chunk(1000).Select(chunk => Batch(chunk))]);
        return product;
    }

    private async Task<CompareScoresResponse> CompareSegmentsAsync(string product) =>
        await fixture.Client.CompareScoresAsync(new CompareScoresRequest
        {
            First = new ScoreScope { ProductId = product, Segment = "region=eu" },
            Second = new ScoreScope { ProductId = product, Segment = "region=us" },
        });

    private static SurveyResponse Label(SurveyResponse response, string key, string value)
    {
        response.Segments[key] = value;
        return response;
    }
}
