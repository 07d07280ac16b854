using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Time;
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

    [Fact]
    public void An_answer_counts_in_all_time_its_utc_month_and_its_utc_day_for_the_product_and_each_label()
    {
        var answeredAt = new DateTimeOffset(2026, 11, 10, 8, 30, 0, TimeSpan.Zero);

        var folded = BatchFolder.Fold([Dated("p1", 9, answeredAt, ("region", "eu"), ("plan", "pro"))], TestContexts.Fold);

        var product = Assert.Single(folded.Products);
        SegmentLabel?[] scopes = [null, RegionEu, PlanPro];
        TimeBucket[] buckets = [TimeBucket.AllTime, TimeBucket.Month(new DateOnly(2026, 11, 1)), TimeBucket.Day(new DateOnly(2026, 11, 10))];
        var expected = scopes.SelectMany(label => buckets.Select(bucket => new TallyKey(bucket, label))).ToHashSet();
        Assert.Equal(expected, product.Tallies.Keys.ToHashSet());
        Assert.All(product.Tallies.Values, tally => Assert.Equal(Counts((9, 1)), tally.Counts));
    }

    [Fact]
    public void The_month_and_day_of_an_answer_are_those_of_utc_not_of_its_offset()
    {
        // 2026-11-01T01:00+02:00 is 2026-10-31T23:00Z.
        var answeredAt = new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(2));

        var folded = BatchFolder.Fold([Dated("p1", 10, answeredAt, ("region", "eu"))], TestContexts.Fold);

        var product = Assert.Single(folded.Products);
        Assert.Equal(
            ["2026-10", "2026-10-31"],
            product.Tallies.Keys.Where(key => key.Label is null && key.Bucket.Kind != BucketKind.AllTime).Select(key => key.Bucket.Label).Order(StringComparer.Ordinal));
        Assert.Contains(new TallyKey(TimeBucket.Day(new DateOnly(2026, 10, 31)), RegionEu), product.Tallies.Keys);
        Assert.DoesNotContain(product.Tallies.Keys, key => key.Bucket.Start.Month == 11);
    }

    [Fact]
    public void An_answer_without_answered_at_counts_on_the_day_the_batch_is_folded()
    {
        var folded = BatchFolder.Fold([Answer("p1", 0, ("region", "us"))], TestContexts.Fold);

        var product = Assert.Single(folded.Products);
        var today = TimeBucket.Day(new DateOnly(2026, 11, 23));
        var thisMonth = TimeBucket.Month(new DateOnly(2026, 11, 1));
        Assert.Equal(Counts((0, 1)), product.Tallies[new TallyKey(today, null)].Counts);
        Assert.Equal(Counts((0, 1)), product.Tallies[new TallyKey(today, RegionUs)].Counts);
        Assert.Equal(Counts((0, 1)), product.Tallies[new TallyKey(thisMonth, null)].Counts);
        Assert.Equal(Counts((0, 1)), product.Tallies[new TallyKey(thisMonth, RegionUs)].Counts);
        Assert.Equal(6, product.Tallies.Count);
    }

    [Fact]
    public void An_answer_without_answered_at_uses_the_clock_of_the_fold_context()
    {
        var context = TestContexts.Fold with { Now = new DateTimeOffset(2025, 2, 28, 23, 59, 0, TimeSpan.Zero) };

        var folded = BatchFolder.Fold([Answer("p1", 7)], context);

        var product = Assert.Single(folded.Products);
        Assert.Equal(
            ["", "2025-02", "2025-02-28"],
            product.Tallies.Keys.Select(key => key.Bucket.Label).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Answers_of_one_month_share_its_month_tally_and_keep_their_own_day_tallies()
    {
        SurveyAnswer[] batch =
        [
            Dated("p1", 10, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)),
            Dated("p1", 0, new DateTimeOffset(2026, 11, 2, 23, 59, 59, TimeSpan.Zero)),
            Dated("p1", 8, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)),
            Dated("p1", 6, new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero)),
        ];

        var product = Assert.Single(BatchFolder.Fold(batch, TestContexts.Fold).Products);

        Assert.Equal(Counts((10, 1), (0, 1), (8, 1), (6, 1)), product.All.Counts);
        Assert.Equal(Counts((10, 1), (0, 1), (8, 1)), product.Tallies[new TallyKey(TimeBucket.Month(new DateOnly(2026, 11, 1)), null)].Counts);
        Assert.Equal(Counts((6, 1)), product.Tallies[new TallyKey(TimeBucket.Month(new DateOnly(2026, 10, 1)), null)].Counts);
        Assert.Equal(Counts((10, 1), (0, 1)), product.Tallies[new TallyKey(TimeBucket.Day(new DateOnly(2026, 11, 2)), null)].Counts);
        Assert.Equal(Counts((8, 1)), product.Tallies[new TallyKey(TimeBucket.Day(new DateOnly(2026, 11, 20)), null)].Counts);
        Assert.Equal(Counts((6, 1)), product.Tallies[new TallyKey(TimeBucket.Day(new DateOnly(2026, 10, 31)), null)].Counts);
        Assert.Equal(1 + 2 + 3, product.Tallies.Count);
    }

    [Fact]
    public void An_answer_from_a_day_past_retention_counts_in_all_time_and_its_month_but_in_no_day()
    {
        // At 2026-11-23T12:00Z with 400 days of retention, 2025-10-19 is the oldest retained day.
        var answeredAt = new DateTimeOffset(2025, 10, 18, 23, 59, 59, TimeSpan.Zero);

        var folded = BatchFolder.Fold([Dated("p1", 3, answeredAt, ("region", "eu"))], TestContexts.Fold);

        Assert.Equal(1, folded.AcceptedCount);
        Assert.Empty(folded.Rejections);
        var product = Assert.Single(folded.Products);
        var october = TimeBucket.Month(new DateOnly(2025, 10, 1));
        Assert.Equal(
            new HashSet<TallyKey>
            {
                new(TimeBucket.AllTime, null),
                new(october, null),
                new(TimeBucket.AllTime, RegionEu),
                new(october, RegionEu),
            },
            product.Tallies.Keys.ToHashSet());
        Assert.DoesNotContain(product.Tallies.Keys, key => key.Bucket.Kind == BucketKind.Day);
        Assert.Equal(Counts((3, 1)), product.Tallies[new TallyKey(october, RegionEu)].Counts);
    }

    [Fact]
    public void An_answer_from_the_oldest_retained_day_still_counts_in_its_day()
    {
        var answeredAt = new DateTimeOffset(2025, 10, 19, 0, 0, 0, TimeSpan.Zero);

        var folded = BatchFolder.Fold([Dated("p1", 3, answeredAt)], TestContexts.Fold);

        var product = Assert.Single(folded.Products);
        Assert.Equal(Counts((3, 1)), product.Tallies[new TallyKey(TimeBucket.Day(new DateOnly(2025, 10, 19)), null)].Counts);
        Assert.Equal(3, product.Tallies.Count);
    }

    [Fact]
    public void Answers_dated_in_the_future_or_before_2000_are_rejected_and_not_counted()
    {
        SurveyAnswer[] batch =
        [
            Dated("p1", 10, TestContexts.Now.AddMinutes(5)),              // 0: at the skew limit
            Dated("p1", 10, TestContexts.Now.AddMinutes(5).AddTicks(1)),  // 1: beyond it
            Dated("p1", 10, new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero)), // 2: too old
            Dated("p1", 0, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)),       // 3: the earliest allowed
        ];

        var folded = BatchFolder.Fold(batch, TestContexts.Fold);

        Assert.Equal(2, folded.AcceptedCount);
        Assert.Equal([1, 2], folded.Rejections.Select(r => r.Index));
        Assert.Equal(["responses[1].answered_at", "responses[2].answered_at"], folded.Rejections.Select(r => r.Field));
        Assert.Equal([RejectionKind.AnsweredAtInFuture, RejectionKind.AnsweredAtTooOld], folded.Rejections.Select(r => r.Kind));
        var product = Assert.Single(folded.Products);
        Assert.Equal(Counts((10, 1), (0, 1)), product.All.Counts);
        Assert.Equal(Counts((0, 1)), product.Tallies[new TallyKey(TimeBucket.Month(new DateOnly(2000, 1, 1)), null)].Counts);
        Assert.DoesNotContain(new TallyKey(TimeBucket.Day(new DateOnly(2000, 1, 1)), null), product.Tallies.Keys);
    }

    [Fact]
    public void Labels_holds_every_label_of_the_product_once()
    {
        SurveyAnswer[] batch =
        [
            Answer("p1", 10, ("region", "eu"), ("plan", "pro")),
            Answer("p1", 5, ("region", "us")),
            Answer("p1", 7),
            Dated("p1", 2, new DateTimeOffset(2020, 5, 5, 0, 0, 0, TimeSpan.Zero), ("region", "eu")),
            Answer("p2", 9, ("plan", "free")),
            Answer("p1", 11, ("plan", "rejected")),
        ];

        var folded = BatchFolder.Fold(batch, TestContexts.Fold);

        var p1 = Product(folded, "p1");
        Assert.Equal(3, p1.Labels.Count);
        Assert.Equal(new HashSet<SegmentLabel> { RegionEu, RegionUs, PlanPro }, p1.Labels.ToHashSet());
        Assert.Equal([new SegmentLabel("plan", "free")], Product(folded, "p2").Labels);
    }

    [Fact]
    public void A_product_answered_without_labels_has_no_labels() =>
        Assert.Empty(Assert.Single(BatchFolder.Fold([Answer("p1", 10)], TestContexts.Fold).Products).Labels);

    private static SurveyAnswer Answer(string productId, int? score, params (string Key, string Value)[] segments) =>
        new(productId, score, segments.ToDictionary(s => s.Key, s => s.Value));

    private static SurveyAnswer Dated(string productId, int score, DateTimeOffset answeredAt, params (string Key, string Value)[] segments) =>
        new(productId, score, segments.ToDictionary(s => s.Key, s => s.Value), answeredAt);

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
