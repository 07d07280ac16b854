using System.Buffers.Text;
using System.Text;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Scoring;

public class SegmentPageTests
{
    [Fact]
    public void The_default_page_size_is_fifty()
    {
        var page = Parse("p1", SegmentOrder.Total, 0, string.Empty);

        var (items, next) = page.Take(Items(60));

        Assert.Equal(SegmentPage.DefaultSize, items.Count);
        Assert.Equal(50, items.Count);
        Assert.NotEmpty(next);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 7)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void A_page_size_above_a_thousand_is_lowered_to_a_thousand(int pageSize, int expected)
    {
        var page = Parse("p1", SegmentOrder.Total, pageSize, string.Empty);

        var (items, next) = page.Take(Items(1200));

        Assert.Equal(expected, items.Count);
        Assert.NotEmpty(next);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_negative_page_size_is_rejected_on_page_size(int pageSize)
    {
        var violation = SegmentPage.TryParse("p1", SegmentOrder.Total, pageSize, string.Empty, out _);

        Assert.NotNull(violation);
        Assert.Equal("page_size", violation.Field);
        Assert.Contains($"got {pageSize}", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void By_total_the_most_responses_come_first_and_ties_go_by_label_ordinal()
    {
        (SegmentLabel, NpsScore)[] all =
        [
            Item("region", "us", Score(promoters: 1)),
            Item("region", "eu", Score(promoters: 10)),
            Item("plan", "alpha", Score(detractors: 5)),
            Item("plan", "Zeta", Score(passives: 5)),
            Item("region", "apac", Score(promoters: 10)),
            Item("plan", "pro", Score(detractors: 20)),
        ];

        var (items, next) = Parse("p1", SegmentOrder.Total, 0, string.Empty).Take(all);

        // Ordinal: "plan=Zeta" sorts before "plan=alpha" ('Z' is U+005A, 'a' U+0061).
        Assert.Equal(["plan=pro", "region=apac", "region=eu", "plan=Zeta", "plan=alpha", "region=us"], Labels(items));
        Assert.Equal(string.Empty, next);
    }

    [Fact]
    public void By_nps_the_highest_score_comes_first_ties_by_total_then_by_label()
    {
        (SegmentLabel, NpsScore)[] all =
        [
            Item("k", "low", Score(detractors: 3)),                // -100, total 3
            Item("k", "half-small", Score(promoters: 3, detractors: 1, passives: 0)), // 50, total 4
            Item("k", "half-big-b", Score(promoters: 6, detractors: 2)),  // 50, total 8
            Item("k", "half-big-a", Score(promoters: 6, detractors: 2)),  // 50, total 8
            Item("k", "top", Score(promoters: 1)),                 // 100, total 1
            Item("k", "zero", Score(promoters: 5, detractors: 5)), // 0, total 10
            Item("k", "most", Score(promoters: 40, passives: 20, detractors: 40)), // 0, total 100
        ];

        var (items, _) = Parse("p1", SegmentOrder.Nps, 0, string.Empty).Take(all);

        Assert.Equal(
            ["k=top", "k=half-big-a", "k=half-big-b", "k=half-small", "k=most", "k=zero", "k=low"],
            Labels(items));
    }

    [Fact]
    public void By_nps_a_segment_without_responses_and_so_without_nps_comes_last()
    {
        (SegmentLabel, NpsScore)[] all =
        [
            Item("k", "empty", NpsScore.From(new ScoreDistribution())),
            Item("k", "worst", Score(detractors: 1)),
        ];

        var (items, _) = Parse("p1", SegmentOrder.Nps, 0, string.Empty).Take(all);

        Assert.Equal(["k=worst", "k=empty"], Labels(items));
    }

    [Fact]
    public void The_scores_are_returned_with_their_labels()
    {
        var score = Score(promoters: 2, detractors: 1);

        var (items, _) = Parse("p1", SegmentOrder.Total, 0, string.Empty).Take([Item("region", "eu", score)]);

        var item = Assert.Single(items);
        Assert.Equal(new SegmentLabel("region", "eu"), item.Label);
        Assert.Same(score, item.Score);
    }

    [Theory]
    [InlineData(SegmentOrder.Total)]
    [InlineData(SegmentOrder.Nps)]
    public void Paging_through_seven_labels_three_at_a_time_gives_three_three_and_one_without_repeats(SegmentOrder order)
    {
        var all = Items(7);
        var (everything, _) = Parse("p1", order, 0, string.Empty).Take(all);
        List<int> sizes = [];
        List<string> seen = [];
        var token = string.Empty;
        do
        {
            var (items, next) = Parse("p1", order, 3, token).Take(all);
            sizes.Add(items.Count);
            seen.AddRange(Labels(items));
            token = next;
            Assert.True(sizes.Count <= 3, "paging did not end");
        }
        while (token.Length > 0);

        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(Labels(everything), seen);
        Assert.Equal(7, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_listing_that_fills_its_last_page_exactly_ends_with_an_empty_token()
    {
        var all = Items(6);

        var (first, firstNext) = Parse("p1", SegmentOrder.Total, 3, string.Empty).Take(all);
        var (second, secondNext) = Parse("p1", SegmentOrder.Total, 3, firstNext).Take(all);

        Assert.Equal(3, first.Count);
        Assert.NotEmpty(firstNext);
        Assert.Equal(3, second.Count);
        Assert.Equal(string.Empty, secondNext);
    }

    [Fact]
    public void No_labels_give_an_empty_last_page()
    {
        var (items, next) = Parse("p1", SegmentOrder.Total, 0, string.Empty).Take([]);

        Assert.Empty(items);
        Assert.Equal(string.Empty, next);
    }

    [Fact]
    public void A_token_from_another_product_is_rejected_on_page_token()
    {
        var (_, token) = Parse("p1", SegmentOrder.Total, 3, string.Empty).Take(Items(7));
        Assert.NotEmpty(token);

        var violation = SegmentPage.TryParse("p2", SegmentOrder.Total, 3, token, out _);

        Assert.NotNull(violation);
        Assert.Equal("page_token", violation.Field);
        Assert.Contains("another product_id or order_by", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_from_a_product_whose_id_is_a_prefix_is_rejected()
    {
        var (_, token) = Parse("p1", SegmentOrder.Total, 3, string.Empty).Take(Items(7));

        Assert.Equal("page_token", SegmentPage.TryParse("p10", SegmentOrder.Total, 3, token, out _)?.Field);
        Assert.Equal("page_token", SegmentPage.TryParse("P1", SegmentOrder.Total, 3, token, out _)?.Field);
    }

    [Fact]
    public void A_token_from_another_order_is_rejected_on_page_token()
    {
        var (_, byTotal) = Parse("p1", SegmentOrder.Total, 3, string.Empty).Take(Items(7));
        var (_, byNps) = Parse("p1", SegmentOrder.Nps, 3, string.Empty).Take(Items(7));

        Assert.Equal("page_token", SegmentPage.TryParse("p1", SegmentOrder.Nps, 3, byTotal, out _)?.Field);
        Assert.Equal("page_token", SegmentPage.TryParse("p1", SegmentOrder.Total, 3, byNps, out _)?.Field);
    }

    [Fact]
    public void A_token_may_be_used_with_another_page_size()
    {
        var all = Items(7);
        var (first, token) = Parse("p1", SegmentOrder.Total, 2, string.Empty).Take(all);

        var (rest, next) = Parse("p1", SegmentOrder.Total, 10, token).Take(all);

        Assert.Equal(2, first.Count);
        Assert.Equal(5, rest.Count);
        Assert.Equal(string.Empty, next);
        Assert.DoesNotContain(Labels(first)[0], Labels(rest));
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("a")]
    [InlineData("bm90IGEgdG9rZW4")]
    [InlineData("%%%")]
    [InlineData("v1|Total|3|p1")]
    public void A_garbage_token_is_rejected_on_page_token(string token)
    {
        var violation = SegmentPage.TryParse("p1", SegmentOrder.Total, 3, token, out _);

        Assert.NotNull(violation);
        Assert.Equal("page_token", violation.Field);
        Assert.Contains("not a token this service issued", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1|Total|-3|p1")]
    [InlineData("v1|Total|+3|p1")]
    [InlineData("v1|Total|3|p1|extra")]
    [InlineData("v2|Total|3|p1")]
    [InlineData("v1|Total|three|p1")]
    [InlineData("v1|Total|99999999999|p1")]
    [InlineData("v1|Total| 3|p1")]
    public void A_well_encoded_token_with_a_malformed_payload_is_rejected_on_page_token(string payload)
    {
        var violation = SegmentPage.TryParse("p1", SegmentOrder.Total, 3, Encode(payload), out _);

        Assert.Equal("page_token", violation?.Field);
    }

    [Fact]
    public void The_issued_token_carries_the_next_offset()
    {
        // Checks the format the pages above rely on, so a well-formed foreign payload is known to reach the product check.
        var (_, token) = Parse("p1", SegmentOrder.Total, 3, string.Empty).Take(Items(7));

        Assert.Equal(Encode("v1|Total|3|p1"), token);
    }

    [Fact]
    public void A_missing_token_is_an_error() =>
        Assert.Throws<ArgumentNullException>(() => SegmentPage.TryParse("p1", SegmentOrder.Total, 0, null!, out _));

    private static SegmentPage Parse(string productId, SegmentOrder order, int pageSize, string token)
    {
        var violation = SegmentPage.TryParse(productId, order, pageSize, token, out var page);
        Assert.Null(violation);
        return page;
    }

    private static (SegmentLabel Label, NpsScore Score) Item(string key, string value, NpsScore score) => (new SegmentLabel(key, value), score);

    /// <summary>Labels with distinct totals and NPS, given in an order that is neither sorted nor reversed.</summary>
    private static List<(SegmentLabel Label, NpsScore Score)> Items(int count) =>
        [.. Enumerable.Range(0, count)
            .Select(i => (i * 7919) % count)
            .Select(i => Item("segment", $"s{i:D4}", Score(promoters: i + 1, detractors: i % 3)))];

    private static NpsScore Score(long promoters = 0, long passives = 0, long detractors = 0)
    {
        var distribution = new ScoreDistribution();
        distribution.Add(10, promoters);
        distribution.Add(7, passives);
        distribution.Add(0, detractors);
        return NpsScore.From(distribution);
    }

    private static List<string> Labels(IEnumerable<(SegmentLabel Label, NpsScore Score)> items) =>
        [.. items.Select(item => item.Label.ToString())];

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
