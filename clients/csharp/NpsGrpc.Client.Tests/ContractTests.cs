using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Client.Tests;

/// <summary>The contract, through the raw generated stubs, against the live server.</summary>
public sealed class ContractTests
{
    private readonly NpsService.NpsServiceClient _client = LiveServer.Client;

    [Fact(Timeout = 30_000)]
    public async Task Reference_example_of_1000_responses_scores_exactly_20()
    {
        var product = LiveServer.UniqueProduct("reference");
        var batch = new SubmitResponsesRequest { WriterId = "csharp-contract-" + Guid.NewGuid().ToString("N"), Sequence = 1 };
        // 450 promoters, 300 passives, 250 detractors, spread over every score of each group.
        batch.Responses.AddRange(Enumerable.Range(0, 450).Select(i => Response(product, 9 + (i % 2))));
        batch.Responses.AddRange(Enumerable.Range(0, 300).Select(i => Response(product, 7 + (i % 2))));
        batch.Responses.AddRange(Enumerable.Range(0, 250).Select(i => Response(product, i % 7)));

        var ack = await SubmitAsync(batch);

        Assert.Equal(1, ack.Sequence);
        Assert.Equal(1000, ack.AcceptedCount);
        Assert.False(ack.Duplicate);
        Assert.Empty(ack.Rejected);
        var score = await LiveServer.ScoreAsync(product);
        Assert.Equal(20, score.Nps);
        Assert.Equal(1000, score.Total);
        Assert.Equal((450, 300, 250), (score.Promoters, score.Passives, score.Detractors));
    }

    [Fact(Timeout = 30_000)]
    public async Task Batch_resent_with_the_same_writer_and_sequence_is_a_duplicate_and_counted_once()
    {
        var product = LiveServer.UniqueProduct("duplicate");
        var batch = new SubmitResponsesRequest { WriterId = "csharp-contract-" + Guid.NewGuid().ToString("N"), Sequence = 42 };
        batch.Responses.AddRange([Response(product, 10), Response(product, 8), Response(product, 3)]);

        var first = await SubmitAsync(batch);
        // Re-sent on a new stream, as after a dropped connection.
        var again = await SubmitAsync(batch);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(42, again.Sequence);
        Assert.Equal(3, again.AcceptedCount);
        var score = await LiveServer.ScoreAsync(product);
        Assert.Equal(3, score.Total);
        Assert.Equal((1, 1, 1), (score.Promoters, score.Passives, score.Detractors));
    }

    [Fact(Timeout = 30_000)]
    public async Task Score_11_is_rejected_in_the_ack_while_the_rest_of_the_batch_counts()
    {
        var product = LiveServer.UniqueProduct("rejection");
        var batch = new SubmitResponsesRequest { WriterId = "csharp-contract-" + Guid.NewGuid().ToString("N"), Sequence = 1 };
        batch.Responses.AddRange([Response(product, 9), Response(product, 11), Response(product, 0)]);

        var ack = await SubmitAsync(batch);

        Assert.Equal(2, ack.AcceptedCount);
        var rejected = Assert.Single(ack.Rejected);
        Assert.Equal(1, rejected.Index);
        Assert.Equal("responses[1].score", rejected.Field);
        Assert.Equal(RejectionReason.ScoreOutOfRange, rejected.Reason);
        Assert.NotEmpty(rejected.Description);
        Assert.Equal([ResponseOutcome.Counted, ResponseOutcome.Rejected, ResponseOutcome.Counted], ack.AllOutcomes());
        var again = await SubmitAsync(batch);
        Assert.True(again.Duplicate);
        Assert.Equal(2, again.AlreadyAppliedCount);
        Assert.Equal([ResponseOutcome.AlreadyApplied, ResponseOutcome.Rejected, ResponseOutcome.AlreadyApplied], again.AllOutcomes());
        var score = await LiveServer.ScoreAsync(product);
        Assert.Equal(2, score.Total);
        Assert.Equal(0, score.Nps);
        Assert.Equal(1, score.Distribution[9]);
        Assert.Equal(1, score.Distribution[0]);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetScore_of_an_unknown_product_is_NOT_FOUND()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetScoreAsync(new GetScoreRequest { ProductId = LiveServer.UniqueProduct("unknown") }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static SurveyResponse Response(string product, int score) => new() { ProductId = product, Score = score };

    private async Task<SubmitResponsesResponse> SubmitAsync(SubmitResponsesRequest batch)
    {
        using var call = _client.SubmitResponses();
        await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        var acks = await call.ResponseStream.ReadAllAsync().ToListAsync();
        return Assert.Single(acks);
    }
}
