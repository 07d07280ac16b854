using Grpc.Core;
using NpsGrpc.V1;
using NpsGrpc.Server.Tests.Support;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class GetScoreTests(ScoringServerFixture fixture)
{
    [Theory]
    [InlineData(450, 300, 250, 20)]
    [InlineData(50, 30, 20, 30)]
    [InlineData(10, 0, 0, 100)]
    [InlineData(0, 0, 3, -100)]
    [InlineData(1, 2, 1, 0)]
    public async Task The_reference_worked_examples_come_back_exactly(int promoters, int passives, int detractors, double expectedNps)
    {
        var product = UniqueProduct("reference");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, promoters, passives, detractors)));

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        var total = promoters + passives + detractors;
        Assert.Equal(expectedNps, score.Nps);
        Assert.Equal(promoters, score.Promoters);
        Assert.Equal(passives, score.Passives);
        Assert.Equal(detractors, score.Detractors);
        Assert.Equal(total, score.Total);
        Assert.Equal(promoters * 100.0 / total, score.PromoterPercent);
        Assert.Equal(passives * 100.0 / total, score.PassivePercent);
        Assert.Equal(detractors * 100.0 / total, score.DetractorPercent);
    }

    [Fact]
    public async Task A_score_carries_its_adjusted_wald_interval_standard_error_and_sample_size_flag()
    {
        var product = UniqueProduct("interval");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 450, 300, 250)));

        var at95 = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var at99 = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, ConfidencePercent = 99 })).Score;

        Assert.Equal(14.9138, at95.ConfidenceInterval.Lower, 4);
        Assert.Equal(24.9665, at95.ConfidenceInterval.Upper, 4);
        Assert.Equal(95, at95.ConfidenceInterval.ConfidencePercent);
        Assert.Equal(2.5690, at95.StandardError, 4);
        Assert.False(at95.LowSample);
        Assert.Equal(99, at99.ConfidenceInterval.ConfidencePercent);
        Assert.True(at99.ConfidenceInterval.Lower < at95.ConfidenceInterval.Lower);
        Assert.Equal(at95.Nps, at99.Nps);
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(30, false)]
    public async Task Fewer_than_30_responses_are_flagged_as_a_low_sample(int responses, bool lowSample)
    {
        var product = UniqueProduct("sample");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, responses, 0, 0)));

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        Assert.Equal(lowSample, score.LowSample);
        Assert.Equal(100, score.ConfidenceInterval.Upper);
        Assert.Equal(0, score.StandardError);
    }

    [Fact]
    public async Task A_confidence_level_outside_80_to_99_9_is_refused()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = "any", ConfidencePercent = 0.95 }).ResponseAsync);

        Assert.Contains("80 to 99.9", StatusAssertions.FieldViolations(exception)["confidence_percent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_distribution_has_eleven_counts_indexed_by_score()
    {
        var product = UniqueProduct("distribution");
        var scores = new[] { 0, 1, 1, 2, 3, 5, 6, 6, 6, 7, 8, 9, 9, 10, 10, 10 };
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(scores.Select(score => Answer(product, score))));

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        Assert.Equal([1L, 2, 1, 1, 0, 1, 3, 1, 1, 2, 3], score.Distribution);
        Assert.Equal(5, score.Promoters);
        Assert.Equal(2, score.Passives);
        Assert.Equal(9, score.Detractors);
        Assert.Equal((5 - 9) * 100.0 / 16, score.Nps);
    }

    [Fact]
    public async Task A_response_counts_for_its_product_and_for_each_of_its_labels_but_not_for_combinations()
    {
        var product = UniqueProduct("segments");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
        [
            Answer(product, 10, ("region", "eu"), ("plan", "pro")),
            Answer(product, 9, ("region", "eu")),
            Answer(product, 2, ("region", "us"), ("plan", "pro")),
            Answer(product, 7),
        ]));

        var whole = await ScoreOf(product, string.Empty);
        var eu = await ScoreOf(product, "region=eu");
        var us = await ScoreOf(product, "region=us");
        var pro = await ScoreOf(product, "plan=pro");

        Assert.Equal((4L, 2L, 1L, 1L), (whole.Total, whole.Promoters, whole.Passives, whole.Detractors));
        Assert.Equal((2L, 100.0), (eu.Total, eu.Nps));
        Assert.Equal((1L, -100.0), (us.Total, us.Nps));
        Assert.Equal((2L, 1L, 1L, 0.0), (pro.Total, pro.Promoters, pro.Detractors, pro.Nps));
        var combination = await Assert.ThrowsAsync<RpcException>(() => ScoreOf(product, "region=eu,plan=pro"));
        Assert.Equal(StatusCode.InvalidArgument, combination.StatusCode);
    }

    [Fact]
    public async Task A_product_that_never_received_a_response_is_not_found()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => ScoreOf(UniqueProduct("never-seen"), string.Empty));

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Contains("has no responses", exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_that_never_received_a_response_is_not_found_even_when_its_product_has_some()
    {
        var product = UniqueProduct("known");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 9, ("region", "eu"))]));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ScoreOf(product, "region=us"));

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Contains("region=us", exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_whose_responses_were_all_rejected_is_not_found()
    {
        var product = UniqueProduct("all-rejected");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 11), new SurveyResponse { ProductId = product }]));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ScoreOf(product, string.Empty));

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
    }

    [Fact]
    public async Task A_malformed_query_lists_every_offending_field()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => ScoreOf("bad product{", "region"));

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Equal(["product_id", "segment"], violations.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("U+0020", violations["product_id"], StringComparison.Ordinal);
        Assert.Contains("key=value", violations["segment"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "product_id is required")]
    [InlineData("é", "U+00E9")]
    public async Task An_invalid_product_id_is_refused_with_a_precise_reason(string productId, string expected)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => ScoreOf(productId, string.Empty));

        Assert.Contains(expected, StatusAssertions.FieldViolations(exception)["product_id"], StringComparison.Ordinal);
    }

    private async Task<Score> ScoreOf(string product, string segment) =>
        (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = segment })).Score;
}
