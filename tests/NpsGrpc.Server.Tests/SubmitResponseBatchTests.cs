using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;
using ResponseOutcome = NpsGrpc.V1.ResponseOutcome;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// SubmitResponseBatch, the unary twin of SubmitResponses: one batch per call, the same acknowledgement, the same
/// exactly-once rules and the same errors.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class SubmitResponseBatchTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task The_same_batch_gets_the_same_acknowledgement_and_the_same_tallies_from_the_stream_and_the_unary_call()
    {
        var (streamed, posted) = (UniqueProduct("via-stream"), UniqueProduct("via-unary"));

        var streamAcks = await SubmissionStream.SubmitAllAsync(fixture.Client, Earlier(streamed, "twin-writer", 3), Everything(streamed, "twin-writer", 4));
        var unaryAcks = new[]
        {
            await fixture.Client.SubmitResponseBatchAsync(Earlier(posted, "twin-writer", 3)),
            await fixture.Client.SubmitResponseBatchAsync(Everything(posted, "twin-writer", 4)),
        };

        // Acks name no product: with the product ids aside, the two batches are the same batch.
        Assert.Equal(streamAcks, unaryAcks);
        var ack = unaryAcks[1];
        Assert.Equal(6, ack.AcceptedCount);
        Assert.Equal([1, 5], ack.Rejected.Select(rejection => rejection.Index));
        Assert.Equal((1, 2), (ack.ReplacedCount, ack.SupersededCount));
        Assert.Equal(
            [(1, ResponseOutcome.Rejected), (2, ResponseOutcome.Superseded), (4, ResponseOutcome.Superseded), (5, ResponseOutcome.Rejected), (7, ResponseOutcome.Replaced)],
            ack.OtherOutcomes.Select(outcome => (outcome.Index, outcome.Outcome)));
        foreach (var segment in new[] { string.Empty, "region=eu", "region=us" })
        {
            var (viaStream, viaUnary) = (await ScoreOf(streamed, segment), await ScoreOf(posted, segment));
            Assert.Equal(viaStream.Distribution, viaUnary.Distribution);
        }

        Assert.Equal(4, (await ScoreOf(posted)).Total);
    }

    [Fact]
    public async Task A_call_sent_again_is_a_duplicate_and_counts_nothing_again()
    {
        var product = UniqueProduct("unary-resend");
        var batch = Batch(Mix(product, 450, 300, 250), "unary-resend-writer", 1);

        var first = await fixture.Client.SubmitResponseBatchAsync(batch);
        var again = await fixture.Client.SubmitResponseBatchAsync(batch);
        var onAStream = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.True(onAStream.Duplicate);
        Assert.Equal((1000, 1000), (again.AcceptedCount, again.AlreadyAppliedCount));
        var score = await ScoreOf(product);
        Assert.Equal((1000L, 20.0), (score.Total, score.Nps));
    }

    [Fact]
    public async Task A_batch_applied_by_a_stream_is_a_duplicate_when_a_call_sends_it_again()
    {
        var product = UniqueProduct("stream-then-unary");
        var batch = Batch(Mix(product, 2, 1, 1), "stream-then-unary-writer", 9);

        await SubmissionStream.SubmitAllAsync(fixture.Client, batch);
        var again = await fixture.Client.SubmitResponseBatchAsync(batch);

        Assert.True(again.Duplicate);
        Assert.Equal(4, (await ScoreOf(product)).Total);
    }

    [Fact]
    public async Task A_sequence_at_or_below_the_last_applied_counts_nothing_for_that_product_and_the_other_products_count()
    {
        var (seen, fresh) = (UniqueProduct("seen"), UniqueProduct("fresh"));
        const string writer = "per-product-writer";
        await fixture.Client.SubmitResponseBatchAsync(Batch(Mix(seen, 1, 0, 0), writer, 5));

        var lower = await fixture.Client.SubmitResponseBatchAsync(Batch([Answer(seen, 3), Answer(fresh, 9), Answer(seen, 0)], writer, 3));
        var same = await fixture.Client.SubmitResponseBatchAsync(Batch([Answer(seen, 3)], writer, 5));

        Assert.False(lower.Duplicate);
        Assert.Equal(2, lower.AlreadyAppliedCount);
        Assert.Equal([(0, ResponseOutcome.AlreadyApplied), (2, ResponseOutcome.AlreadyApplied)], lower.OtherOutcomes.Select(o => (o.Index, o.Outcome)));
        Assert.True(same.Duplicate);
        Assert.Equal((1L, 1L), ((await ScoreOf(seen)).Total, (await ScoreOf(fresh)).Total));
    }

    [Fact]
    public async Task Invalid_responses_are_rejected_one_by_one_while_the_rest_of_the_call_counts()
    {
        var product = UniqueProduct("unary-partial");

        var ack = await fixture.Client.SubmitResponseBatchAsync(Batch(
            [Answer(product, 10), new SurveyResponse { ProductId = product }, Answer(product, 11), Answer("bad product", 9), Answer(product, 0)]));

        Assert.Equal(2, ack.AcceptedCount);
        Assert.Equal(
            [
                ("responses[1].score", RejectionReason.MissingScore),
                ("responses[2].score", RejectionReason.ScoreOutOfRange),
                ("responses[3].product_id", RejectionReason.InvalidProductId),
            ],
            ack.Rejected.Select(rejection => (rejection.Field, rejection.Reason)));
        var score = await ScoreOf(product);
        Assert.Equal((2L, 1L, 1L), (score.Total, score.Promoters, score.Detractors));
    }

    public static TheoryData<string, Func<string, SubmitResponsesRequest>, string[]> MalformedCalls() => new()
    {
        { "1001 responses", product => Batch(Mix(product, 1001, 0, 0), "too-many", 1), ["responses"] },
        { "a writer without a sequence", product => Batch(Mix(product, 1, 0, 0), "no-sequence", 0), ["sequence"] },
        { "a writer id with a space", product => Batch(Mix(product, 1, 0, 0), "bad writer", 1), ["writer_id"] },
        { "all three", product => Batch(Mix(product, 1001, 0, 0), new string('w', 129), -1), ["responses", "sequence", "writer_id"] },
    };

    [Theory]
    [MemberData(nameof(MalformedCalls))]
    public async Task A_call_malformed_as_a_whole_is_INVALID_ARGUMENT_naming_every_field_and_counts_nothing(
        string name, Func<string, SubmitResponsesRequest> request, string[] fields)
    {
        var product = UniqueProduct("unary-malformed");

        var failure = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.SubmitResponseBatchAsync(request(product)).ResponseAsync);

        Assert.True(fields.SequenceEqual(StatusAssertions.FieldViolations(failure).Keys.Order(StringComparer.Ordinal)), name);
        await AssertNeverCountedAsync(product);
    }

    [Fact]
    public async Task A_call_over_the_message_size_limit_is_RESOURCE_EXHAUSTED_and_counts_nothing()
    {
        var product = UniqueProduct("unary-oversized");
        // 1000 comments of 2000 four-byte code points: 8 MB, twice the default limit, and valid in every other way.
        var batch = Batch(Enumerable.Range(0, 1000).Select(_ => Answer(product, 3).Saying(string.Concat(Enumerable.Repeat("😀", 2000)))), "oversized", 1);

        var failure = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.SubmitResponseBatchAsync(batch).ResponseAsync);

        Assert.Equal("4194304", StatusAssertions.ErrorInfo(failure, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge).Metadata["maxBytes"]);
        await AssertNeverCountedAsync(product);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_SubmitResponsesRequest_are_INVALID_ARGUMENT()
    {
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "nps.v1.NpsService", "SubmitResponseBatch",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        // Field 3 (responses) announcing three bytes where one follows.
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Server.Channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(), [0x1A, 0x03, 0x0A]).ResponseAsync);

        var info = StatusAssertions.ErrorInfo(failure, StatusCode.InvalidArgument, ErrorReason.MalformedMessage);
        Assert.Equal("nps.v1.SubmitResponsesRequest", info.Metadata["requestType"]);
    }

    /// <summary>Dave's first answer, which <see cref="Everything"/> replaces.</summary>
    private static SubmitResponsesRequest Earlier(string product, string writer, long sequence) =>
        Batch([Answer(product, 5, ("region", "us")).By("dave").AnsweredAt("2025-04-01T10:00:00Z")], writer, sequence);

    /// <summary>Answers for one product that cover every outcome: counted, rejected, replaced, superseded, with labels.</summary>
    private static SubmitResponsesRequest Everything(string product, string writer, long sequence) => Batch(
    [
        Answer(product, 10, ("region", "eu")),
        Answer(product, 12),
        Answer(product, 3, ("region", "us")).By("carol").AnsweredAt("2025-05-01T10:00:00Z"),
        Answer(product, 9, ("region", "eu")).By("carol").AnsweredAt("2025-05-03T10:00:00Z"),
        Answer(product, 0, ("region", "eu")).By("carol").AnsweredAt("2025-05-02T10:00:00Z"),
        Answer(product, 7, ("re gion", "eu")),
        Answer(product, 8).Saying("Fine, mostly", "en"),
        Answer(product, 10, ("region", "eu")).By("dave").AnsweredAt("2025-05-05T10:00:00Z"),
    ], writer, sequence);

    private async Task<Score> ScoreOf(string product, string segment = "") =>
        (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = segment })).Score;

    private async Task AssertNeverCountedAsync(string product)
    {
        var notFound = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }
}
