using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Storage;

namespace NpsGrpc.Core.Tests.Ingestion;

public class BatchOutcomesTests
{
    // p1: 0, 2 (alice), 4; p2: 1, 5 (bob); 3 is rejected.
    private static readonly FoldedBatch Batch = BatchFolder.Fold(
        [
            new SurveyAnswer("p1", 10, new Dictionary<string, string>()),
            new SurveyAnswer("p2", 3, new Dictionary<string, string>()),
            new SurveyAnswer("p1", 9, new Dictionary<string, string>(), RespondentId: "alice"),
            new SurveyAnswer("p1", 11, new Dictionary<string, string>()),
            new SurveyAnswer("p1", 7, new Dictionary<string, string>()),
            new SurveyAnswer("p2", 0, new Dictionary<string, string>(), RespondentId: "bob"),
        ],
        TestContexts.Fold);

    private static int P1 => Position("p1");

    private static int P2 => Position("p2");

    [Fact]
    public void A_batch_whose_valid_answers_were_all_counted_lists_only_its_rejections()
    {
        var outcomes = BatchOutcomes.Resolve(Batch, new ApplyOutcome(2, 0));

        Assert.Equal([(3, ResponseOutcome.Rejected)], outcomes.Others);
        Assert.Equal((0, 0, 0), (outcomes.Replaced, outcomes.Superseded, outcomes.AlreadyApplied));
    }

    [Fact]
    public void What_the_store_says_of_a_respondents_answer_replaces_what_folding_assumed()
    {
        var stored = new Dictionary<int, ResponseOutcome> { [2] = ResponseOutcome.Replaced, [5] = ResponseOutcome.Superseded };

        var outcomes = BatchOutcomes.Resolve(Batch, new ApplyOutcome(2, 0, stored));

        Assert.Equal([(2, ResponseOutcome.Replaced), (3, ResponseOutcome.Rejected), (5, ResponseOutcome.Superseded)], outcomes.Others);
        Assert.Equal((1, 1, 0), (outcomes.Replaced, outcomes.Superseded, outcomes.AlreadyApplied));
    }

    [Fact]
    public void The_answers_of_a_product_that_had_applied_the_sequence_are_already_applied_whatever_the_store_says_of_the_others()
    {
        var stored = new Dictionary<int, ResponseOutcome> { [5] = ResponseOutcome.Replaced };

        var outcomes = BatchOutcomes.Resolve(Batch, new ApplyOutcome(1, 1, stored, new HashSet<int> { P1 }));

        Assert.Equal(
            [(0, ResponseOutcome.AlreadyApplied), (2, ResponseOutcome.AlreadyApplied), (3, ResponseOutcome.Rejected), (4, ResponseOutcome.AlreadyApplied), (5, ResponseOutcome.Replaced)],
            outcomes.Others);
        Assert.Equal((1, 0, 3), (outcomes.Replaced, outcomes.Superseded, outcomes.AlreadyApplied));
    }

    [Fact]
    public void A_duplicate_counts_every_valid_answer_as_already_applied_and_lists_only_its_rejections()
    {
        var outcomes = BatchOutcomes.Resolve(Batch, new ApplyOutcome(0, 2, null, new HashSet<int> { P1, P2 }));

        Assert.Equal([(3, ResponseOutcome.Rejected)], outcomes.Others);
        Assert.Equal((0, 0, 5), (outcomes.Replaced, outcomes.Superseded, outcomes.AlreadyApplied));
    }

    [Fact]
    public void Each_response_knows_the_position_of_its_product_and_a_rejected_one_has_none()
    {
        Assert.Equal([P1, P2, P1, -1, P1, P2], Batch.ProductOf);
        Assert.Equal(["p1", "p2"], Batch.Products.Select(product => product.ProductId));
    }

    private static int Position(string productId) =>
        Batch.Products.Select((product, index) => (product, index)).Single(pair => pair.product.ProductId == productId).index;
}
