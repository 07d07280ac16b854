using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Ingestion;

public class BatchFolderTests
{
    private static readonly SegmentLabel RegionEu = new("region", "eu");
    private static readonly SegmentLabel RegionUs = new("region", "us");
    private static readonly SegmentLabel PlanPro = new("plan", "pro");

    [Fact]
    public void A_mixed_batch_counts_the_valid_responses_per_product_and_lists_the_rejected_ones_in_order()
    {
        SurveyAnswer[] batch =
        [
            Answer("p1", 10, ("region", "eu"), ("plan", "pro")), // 0
            Answer("p1", null, ("region", "eu")),                // 1: missing score
            Answer("p2", 3, ("region", "us")),                   // 2
            Answer(string.Empty, 5),                             // 3: no product
            Answer("p1", 7, ("region", "eu")),                   // 4
            Answer("p2", 11),                                    // 5: out of range
            Answer("p2", 9),                                     // 6
            Answer("p1", 8, ("bad key", "x")),                   // 7: bad label
        ];

        var folded = BatchFolder.Fold(batch, TestContexts.Fold);

        Assert.Equal(4, folded.AcceptedCount);
        Assert.Equal([1, 3, 5, 7], folded.Rejections.Select(r => r.Index));
        Assert.Equal(
            [RejectionKind.MissingScore, RejectionKind.InvalidProductId, RejectionKind.ScoreOutOfRange, RejectionKind.InvalidSegmentKey],
            folded.Rejections.Select(r => r.Kind));
        Assert.Equal(
            ["responses[1].score", "responses[3].product_id", "responses[5].score", "responses[7].segments[bad key]"],
            folded.Rejections.Select(r => r.Field));
        Assert.Equal(["p1", "p2"], folded.Products.Select(p => p.ProductId).Order(StringComparer.Ordinal));

        var p1 = Product(folded, "p1");
        Assert.Equal(2, p1.ResponseCount);
        Assert.Equal(Counts((10, 1), (7, 1)), p1.All.Counts);
        Assert.Equal(2, p1.Segments.Count);
        Assert.Equal(Counts((10, 1), (7, 1)), p1.Segments[RegionEu].Counts);
        Assert.Equal(Counts((10, 1)), p1.Segments[PlanPro].Counts);

        var p2 = Product(folded, "p2");
        Assert.Equal(2, p2.ResponseCount);
        Assert.Equal(Counts((3, 1), (9, 1)), p2.All.Counts);
        var only = Assert.Single(p2.Segments);
        Assert.Equal(RegionUs, only.Key);
        Assert.Equal(Counts((3, 1)), only.Value.Counts);
    }

    [Fact]
    public void A_response_with_two_labels_adds_to_the_product_and_each_label_but_to_no_combined_label()
    {
        var folded = BatchFolder.Fold([Answer("p1", 9, ("region", "eu"), ("plan", "pro"))], TestContexts.Fold);

        var product = Assert.Single(folded.Products);
        Assert.Equal(Counts((9, 1)), product.All.Counts);
        Assert.Equal(2, product.Segments.Count);
        Assert.Equal(Counts((9, 1)), product.Segments[RegionEu].Counts);
        Assert.Equal(Counts((9, 1)), product.Segments[PlanPro].Counts);
        Assert.Equal(new HashSet<SegmentLabel> { RegionEu, PlanPro }, product.Segments.Keys.ToHashSet());
    }

    [Fact]
    public void A_thousand_responses_for_one_product_fold_into_one_set_of_increments()
    {
        var batch = Enumerable.Range(0, 1000)
            .Select(i => Answer("p1", i % 11, ("region", i % 2 == 0 ? "eu" : "us")))
            .ToArray();

        var folded = BatchFolder.Fold(batch, TestContexts.Fold);

        Assert.Equal(1000, folded.AcceptedCount);
        Assert.Empty(folded.Rejections);
        var product = Assert.Single(folded.Products);
        Assert.Equal("p1", product.ProductId);
        Assert.Equal(1000, product.All.Total);
        Assert.Equal(1000, product.ResponseCount);
        // 1000 = 90 × 11 + 10: scores 0 to 9 get one more than score 10.
        Assert.Equal([91L, 91, 91, 91, 91, 91, 91, 91, 91, 91, 90], product.All.Counts);
        Assert.Equal(2, product.Segments.Count);
        Assert.Equal(500, product.Segments[RegionEu].Total);
        Assert.Equal(500, product.Segments[RegionUs].Total);
    }

    [Fact]
    public void An_empty_batch_has_no_products_and_no_rejections()
    {
        var folded = BatchFolder.Fold([], TestContexts.Fold);

        Assert.Empty(folded.Products);
        Assert.Empty(folded.Rejections);
        Assert.Equal(0, folded.AcceptedCount);
    }

    [Fact]
    public void A_batch_of_only_invalid_responses_touches_no_product()
    {
        var folded = BatchFolder.Fold([Answer("p1", null), Answer("p1", -1)], TestContexts.Fold);

        Assert.Empty(folded.Products);
        Assert.Equal(0, folded.AcceptedCount);
        Assert.Equal([0, 1], folded.Rejections.Select(r => r.Index));
    }

    [Fact]
    public void Product_ids_that_differ_only_in_case_are_different_products()
    {
        var folded = BatchFolder.Fold([Answer("P1", 10), Answer("p1", 0)], TestContexts.Fold);

        Assert.Equal(2, folded.Products.Count);
        Assert.Equal(Counts((10, 1)), Product(folded, "P1").All.Counts);
        Assert.Equal(Counts((0, 1)), Product(folded, "p1").All.Counts);
    }

    [Fact]
    public void The_same_label_on_two_products_is_counted_separately_for_each()
    {
        var folded = BatchFolder.Fold([Answer("p1", 10, ("region", "eu")), Answer("p2", 0, ("region", "eu"))], TestContexts.Fold);

        Assert.Equal(Counts((10, 1)), Product(folded, "p1").Segments[RegionEu].Counts);
        Assert.Equal(Counts((0, 1)), Product(folded, "p2").Segments[RegionEu].Counts);
    }

    [Fact]
    public void A_missing_batch_is_an_error() =>
        Assert.Throws<ArgumentNullException>(() => BatchFolder.Fold(null!, TestContexts.Fold));

    private static SurveyAnswer Answer(string productId, int? score, params (string Key, string Value)[] segments) =>
        new(productId, score, segments.ToDictionary(s => s.Key, s => s.Value));

    private static ProductIncrements Product(FoldedBatch folded, string productId) =>
        Assert.Single(folded.Products, p => p.ProductId == productId);

    private static long[] Counts(params (int Score, long Count)[] entries)
    {
        var counts = new long[11];
        foreach (var (score, count) in entries)
        {
            counts[score] += count;
        }

        return counts;
    }
}
