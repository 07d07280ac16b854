using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
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
    public async Task Every_request_level_problem_is_listed_at_once_and_the_message_names_each_field_with_its_description()
    {
        using var stream = new SubmissionStream(fixture.Client);
        await stream.SendAsync(Batch(Mix(UniqueProduct("many-problems"), 1001, 0, 0), new string('w', 129), 0));

        var exception = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Equal(["responses", "sequence", "writer_id"], violations.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("at most 128", violations["writer_id"], StringComparison.Ordinal);
        Assert.StartsWith("3 invalid fields: ", exception.Status.Detail, StringComparison.Ordinal);
        Assert.All(violations, violation => Assert.Contains($"{violation.Key}: {violation.Value}", exception.Status.Detail, StringComparison.Ordinal));
        Assert.DoesNotContain("listed in the google.rpc.BadRequest detail", exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_naming_many_fields_stops_near_1000_characters_and_says_how_many_more_the_detail_lists()
    {
        // Every field of both scopes and the confidence level wrong at once, each description about 100 characters long.
        var scope = new ScoreScope { ProductId = "a b", Segment = new string('s', 100), StartTime = Time.At("2025-01-01T12:00:00Z"), EndTime = Time.At("2025-02-01T06:00:00Z") };
        var request = new CompareScoresRequest { First = scope, Second = scope.Clone(), ConfidencePercent = 50 };

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CompareScoresAsync(request).ResponseAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        var message = exception.Status.Detail;
        var named = violations.Count(violation => message.Contains($"{violation.Key}: {violation.Value}", StringComparison.Ordinal));
        Assert.Equal(9, violations.Count);
        Assert.StartsWith("9 invalid fields: first.product_id: ", message, StringComparison.Ordinal);
        Assert.InRange(named, 1, 8);
        Assert.EndsWith($" And {9 - named} more, listed in the google.rpc.BadRequest detail.", message, StringComparison.Ordinal);
        Assert.InRange(message.Length, 900, 1100);
    }

    [Fact]
    public void A_message_names_at_most_ten_fields_however_short_their_descriptions()
    {
        var violations = Enumerable.Range(0, 25).Select(i => new Core.Validation.FieldViolation($"f{i}", $"bad {i}.")).ToList();

        var message = Services.ErrorStatus.FieldsMessage(violations);

        Assert.Equal(
            "25 invalid fields: f0: bad 0. f1: bad 1. f2: bad 2. f3: bad 3. f4: bad 4. f5: bad 5. f6: bad 6. f7: bad 7. f8: bad 8. f9: bad 9. " +
            "And 15 more, listed in the google.rpc.BadRequest detail.",
            message);
    }

    [Theory]
    [InlineData(Granularity.Unspecified, "GRANULARITY_UNSPECIFIED")]
    [InlineData((Granularity)99, "99")]
    public async Task A_trend_without_a_known_granularity_names_it_as_the_proto_does(Granularity granularity, string named)
    {
        var request = new GetScoreTrendRequest { ProductId = "p", StartTime = Time.At("2025-01-01T00:00:00Z"), Granularity = granularity };

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreTrendAsync(request).ResponseAsync);

        Assert.Equal(
            $"granularity must be GRANULARITY_DAY, GRANULARITY_WEEK or GRANULARITY_MONTH; got {named}.",
            StatusAssertions.FieldViolations(exception)["granularity"]);
        Assert.Equal($"granularity: granularity must be GRANULARITY_DAY, GRANULARITY_WEEK or GRANULARITY_MONTH; got {named}.", exception.Status.Detail);
    }

    [Fact]
    public async Task Misaligned_trend_bounds_and_an_unknown_order_are_named_as_the_proto_names_them()
    {
        var week = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreTrendAsync(new GetScoreTrendRequest
        {
            ProductId = "p",
            StartTime = Time.At("2025-01-01T00:00:00Z"),
            EndTime = Time.At("2025-01-13T00:00:00Z"),
            Granularity = Granularity.Week,
        }).ResponseAsync);
        var order = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = "p", OrderBy = (SegmentOrder)7 }).ResponseAsync);

        Assert.Equal("start_time must be a Monday (ISO weeks) for GRANULARITY_WEEK; 2025-01-01 is a Wednesday.", StatusAssertions.FieldViolations(week)["start_time"]);
        Assert.Equal("order_by must be SEGMENT_ORDER_UNSPECIFIED, SEGMENT_ORDER_TOTAL or SEGMENT_ORDER_NPS; got 7.", StatusAssertions.FieldViolations(order)["order_by"]);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_RESOURCE_EXHAUSTED()
    {
        // A connection of its own, and the status read while the write is still going: the server refuses the stream
        // after the first bytes of the message, so the rest of it may never be taken off the client's hands. Awaiting
        // the write first hung a full suite run once (the blame collector named this test after 10 minutes).
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);
        using var call = new NpsService.NpsServiceClient(channel).SubmitResponses(deadline: DateTime.UtcNow.AddMinutes(1));
        var write = call.RequestStream.WriteAsync(Batch([Answer(new string('x', 5 * 1024 * 1024), 9)]));

        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        // The write ends with the call, either way: sent whole before the refusal, or cut off by it.
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(10)));

        var info = StatusAssertions.ErrorInfo(exception, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge);
        Assert.Equal("4194304", info.Metadata["maxBytes"]);
    }

    [Fact]
    public async Task A_read_over_the_size_limit_is_RESOURCE_EXHAUSTED_with_the_same_reason_and_says_its_size()
    {
        var request = new GetScoreRequest { ProductId = new string('x', 5 * 1024 * 1024) };

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(request).ResponseAsync);

        var info = StatusAssertions.ErrorInfo(exception, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge);
        Assert.Equal("4194304", info.Metadata["maxBytes"]);
        Assert.Equal($"The request message is {request.CalculateSize()} bytes; this server accepts at most 4194304.", exception.Status.Detail);
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
