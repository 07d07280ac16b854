using Grpc.Core;
using NpsGrpc.V1;
using NpsGrpc.Server.Tests.Support;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class MalformedRequestTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task More_than_1000_responses_end_the_stream_with_INVALID_ARGUMENT_and_count_nothing_of_that_request()
    {
        var product = UniqueProduct("oversized");
        using var stream = new SubmissionStream(fixture.Client);
        var first = await stream.SubmitAsync(Batch(Mix(product, 1, 0, 0), "oversized-writer", 1));

        await stream.SendAsync(Batch(Mix(product, 1001, 0, 0), "oversized-writer", 2));
        var exception = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Contains("at most 1000", violations["responses"], StringComparison.Ordinal);
        Assert.Contains("1001", violations["responses"], StringComparison.Ordinal);
        Assert.Equal(1, first.AcceptedCount);
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal(1, score.Total);
    }

    [Fact]
    public async Task Exactly_1000_responses_are_accepted()
    {
        var product = UniqueProduct("max-batch");
        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1000, 0, 0)))).Single();

        Assert.Equal(1000, ack.AcceptedCount);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    public async Task A_writer_id_without_a_positive_sequence_is_refused(long sequence)
    {
        var product = UniqueProduct("no-sequence");
        using var stream = new SubmissionStream(fixture.Client);
        await stream.SendAsync(Batch(Mix(product, 1, 0, 0), "writer-without-sequence", sequence));

        var exception = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        Assert.Contains("sequence is required", StatusAssertions.FieldViolations(exception)["sequence"], StringComparison.Ordinal);
        var notFound = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task Every_request_level_problem_is_listed_at_once()
    {
        using var stream = new SubmissionStream(fixture.Client);
        await stream.SendAsync(Batch(Mix(UniqueProduct("many-problems"), 1001, 0, 0), new string('w', 129), 0));

        var exception = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Equal(["responses", "sequence", "writer_id"], violations.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("at most 128", violations["writer_id"], StringComparison.Ordinal);
        Assert.StartsWith("3 invalid fields", exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_RESOURCE_EXHAUSTED()
    {
        using var stream = new SubmissionStream(fixture.Client);
        try
        {
            await stream.SendAsync(Batch([Answer(new string('x', 5 * 1024 * 1024), 9)]));
        }
        catch (RpcException)
        {
            // The server may refuse the stream before the client has finished writing the message.
        }

        var exception = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
    }

    [Fact]
    public async Task Other_clients_are_served_while_a_stream_is_refused()
    {
        using var refused = new SubmissionStream(fixture.Client);
        await refused.SendAsync(Batch([], "bad writer", 1));
        var product = UniqueProduct("still-serving");

        await Assert.ThrowsAsync<RpcException>(refused.ReadAckAsync);
        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1, 0, 0)))).Single();

        Assert.Equal(1, ack.AcceptedCount);
    }
}
