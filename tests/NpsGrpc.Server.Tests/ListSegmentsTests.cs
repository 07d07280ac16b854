using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class ListSegmentsTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task Labels_are_listed_with_their_scores_most_responses_first_by_default()
    {
        var product = await SeedAsync();

        var page = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product });

        Assert.Equal(["region=us", "region=eu", "plan=free", "plan=pro"], page.Segments.Select(s => s.Segment));
        Assert.Equal([5L, 3L, 2L, 1L], page.Segments.Select(s => s.Score.Total));
        Assert.Empty(page.NextPageToken);
    }

    [Fact]
    public async Task Labels_can_be_sorted_by_NPS_with_ties_broken_by_total()
    {
        var product = await SeedAsync();

        var page = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product, OrderBy = SegmentOrder.Nps });

        // us, free and pro all score 100 and are ordered by total (5, 2, 1); eu scores -33.3.
        Assert.Equal(["region=us", "plan=free", "plan=pro", "region=eu"], page.Segments.Select(s => s.Segment));
        Assert.Equal([100.0, 100.0, 100.0, -100.0 / 3], page.Segments.Select(s => s.Score.Nps));
    }

    [Fact]
    public async Task Pages_follow_each_other_without_repeating_a_label()
    {
        var product = await SeedAsync();

        var first = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product, PageSize = 3 });
        var second = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product, PageSize = 3, PageToken = first.NextPageToken });

        Assert.Equal(3, first.Segments.Count);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Equal(["plan=pro"], second.Segments.Select(s => s.Segment));
        Assert.Empty(second.NextPageToken);
    }

    [Fact]
    public async Task A_token_of_another_listing_is_refused()
    {
        var product = await SeedAsync();
        var first = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product, PageSize = 1 });

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ListSegmentsAsync(
            new ListSegmentsRequest { ProductId = product, PageSize = 1, PageToken = first.NextPageToken, OrderBy = SegmentOrder.Nps }).ResponseAsync);

        Assert.Contains("another product_id or order_by", StatusAssertions.FieldViolations(exception)["page_token"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_without_labels_lists_none_and_an_unknown_product_is_not_found()
    {
        var plain = UniqueProduct("no-labels");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(plain, 1, 0, 0)));

        var none = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = plain });
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = UniqueProduct("unknown") }).ResponseAsync);

        Assert.Empty(none.Segments);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_batch_with_sixteen_thousand_distinct_labels_is_applied_and_every_label_listed()
    {
        var product = UniqueProduct("many-labels");
        var responses = Enumerable.Range(0, 1000).Select(i =>
            Answer(product, i % 11, [.. Enumerable.Range(0, 16).Select(k => ($"k{k}", $"v{i}"))]));

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(responses))).Single();
        var page = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product, PageSize = 1000 });

        Assert.Equal(1000, ack.AcceptedCount);
        Assert.Equal(1000, page.Segments.Count);
        Assert.All(page.Segments, segment => Assert.Equal(1, segment.Score.Total));
        Assert.NotEmpty(page.NextPageToken);
    }

    private async Task<string> SeedAsync()
    {
        var product = UniqueProduct("labels");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
        [
            .. Enumerable.Repeat(0, 5).Select(_ => Answer(product, 10, ("region", "us"))),
            Answer(product, 9, ("region", "eu"), ("plan", "pro")),
            Answer(product, 1, ("region", "eu")),
            Answer(product, 2, ("region", "eu")),
            Answer(product, 10, ("plan", "free")),
            Answer(product, 9, ("plan", "free")),
        ]));
        return product;
    }
}
