using Grpc.Core;
using NpsGrpc.V1;
using NpsGrpc.Server.Tests.Support;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class SubmitResponsesTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task Every_request_gets_one_acknowledgement_in_order_echoing_its_sequence()
    {
        var product = UniqueProduct("acks");
        using var stream = new SubmissionStream(fixture.Client);

        // Send all three before reading, so the order of the acks is the server's doing.
        await stream.SendAsync(Batch(Mix(product, 3, 0, 0), "acks-writer", 5));
        await stream.SendAsync(Batch(Mix(product, 0, 2, 0), "acks-writer", 9));
        await stream.SendAsync(Batch(Mix(product, 0, 0, 1), "acks-writer", 12));
        var acks = new[] { await stream.ReadAckAsync(), await stream.ReadAckAsync(), await stream.ReadAckAsync() };
        await stream.CompleteAsync();

        Assert.Equal([5L, 9, 12], acks.Select(ack => ack.Sequence));
        Assert.Equal([3, 2, 1], acks.Select(ack => ack.AcceptedCount));
        Assert.All(acks, ack => Assert.False(ack.Duplicate));
        Assert.All(acks, ack => Assert.Empty(ack.Rejected));
    }

    [Fact]
    public async Task Invalid_responses_are_rejected_one_by_one_while_the_rest_of_the_batch_counts()
    {
        var product = UniqueProduct("partial");
        var tooManyLabels = Answer(product, 9, [.. Enumerable.Range(0, 17).Select(i => ($"k{i}", "v"))]);
        var request = Batch(
        [
            Answer(product, 10),
            new SurveyResponse { ProductId = product },
            Answer(product, 11),
            Answer(product, -1),
            Answer("bad product", 9),
            tooManyLabels,
            Answer(product, 9, ("region", "e u")),
            Answer(product, 9, ("re/gion", "eu")),
            Answer(product, 0),
        ]);

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, request)).Single();

        Assert.Equal(2, ack.AcceptedCount);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], ack.Rejected.Select(rejection => rejection.Index));
        Assert.Equal(
            [
                ("responses[1].score", RejectionReason.MissingScore),
                ("responses[2].score", RejectionReason.ScoreOutOfRange),
                ("responses[3].score", RejectionReason.ScoreOutOfRange),
                ("responses[4].product_id", RejectionReason.InvalidProductId),
                ("responses[5].segments", RejectionReason.TooManySegments),
                ("responses[6].segments[region]", RejectionReason.InvalidSegmentValue),
                ("responses[7].segments[re/gion]", RejectionReason.InvalidSegmentKey),
            ],
            ack.Rejected.Select(rejection => (rejection.Field, rejection.Reason)));
        Assert.All(ack.Rejected, rejection => Assert.False(string.IsNullOrWhiteSpace(rejection.Description)));
        Assert.Contains("got 11", ack.Rejected[1].Description, StringComparison.Ordinal);

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((2L, 1L, 1L), (score.Total, score.Promoters, score.Detractors));
        await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "region=e u" }).ResponseAsync);
    }

    [Fact]
    public async Task Scripts_flushed_from_redis_are_loaded_again_so_writes_and_interval_reads_keep_working()
    {
        var product = UniqueProduct("script-flush");
        var redis = await fixture.Redis.AdminAsync();
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 2, 1, 1), "script-flush-writer", 1));

        // What a Redis restart or a promoted replica looks like to the server: no script in the cache.
        foreach (var server in redis.Multiplexer.GetServers())
        {
            await server.ScriptFlushAsync();
        }

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1, 0, 0), "script-flush-writer", 2))).Single();
        foreach (var server in redis.Multiplexer.GetServers())
        {
            await server.ScriptFlushAsync();
        }

        var today = DateTime.UtcNow.Date;
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(today.AddDays(-1)),
            EndTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(today.AddDays(1)),
        })).Score;

        Assert.Equal((1, false), (ack.AcceptedCount, ack.Duplicate));
        Assert.Equal((5L, 3L, 1L), (score.Total, score.Promoters, score.Detractors));
    }

    [Fact]
    public async Task A_missing_score_is_never_counted_as_a_detractor()
    {
        var product = UniqueProduct("no-score");
        var ack = (await SubmissionStream.SubmitAllAsync(
            fixture.Client,
            Batch([new SurveyResponse { ProductId = product }, Answer(product, 9)]))).Single();

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        Assert.Equal(RejectionReason.MissingScore, Assert.Single(ack.Rejected).Reason);
        Assert.Equal(0, score.Detractors);
        Assert.Equal(100, score.Nps);
    }

    [Fact]
    public async Task The_stream_goes_on_after_a_batch_with_rejections()
    {
        var product = UniqueProduct("goes-on");
        var acks = await SubmissionStream.SubmitAllAsync(
            fixture.Client,
            Batch([Answer(product, 42)]),
            Batch([Answer(product, 10)]));

        Assert.Equal(RejectionReason.ScoreOutOfRange, Assert.Single(acks[0].Rejected).Reason);
        Assert.Equal(1, acks[1].AcceptedCount);
    }

    [Fact]
    public async Task One_batch_may_span_many_products_each_counted_separately()
    {
        var products = Enumerable.Range(0, 20).Select(i => UniqueProduct($"span{i}")).ToArray();
        var request = Batch(products.SelectMany((product, i) => Mix(product, i, 1, 20 - i)));

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, request)).Single();

        Assert.Equal(20 * 21, ack.AcceptedCount);
        for (var i = 0; i < products.Length; i++)
        {
            var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = products[i] })).Score;
            Assert.Equal((21L, (long)i, 1L, 20L - i), (score.Total, score.Promoters, score.Passives, score.Detractors));
        }
    }

    [Fact]
    public async Task An_empty_batch_is_acknowledged_with_nothing_counted()
    {
        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([], "empty-writer", 1))).Single();

        Assert.Equal(1, ack.Sequence);
        Assert.Equal(0, ack.AcceptedCount);
        Assert.False(ack.Duplicate);
    }

    [Fact]
    public async Task A_stream_that_sends_nothing_ends_cleanly()
    {
        using var stream = new SubmissionStream(fixture.Client);
        await stream.CompleteAsync();
    }
}
