using System.Net.Http;
using Grpc.Core;
using Grpc.Net.Client;
using Google.Protobuf;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Security;

/// <summary>The limits of docs/security.md, each lowered by configuration and then crossed.</summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?>
        {
            ["Ingestion:MaxResponsesPerBatch"] = "10",
            ["Ingestion:MaxSegmentsPerResponse"] = "2",
            ["Limits:MaxReceiveMessageBytes"] = "65536",
            ["Limits:MaxStreamsPerConnection"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_response_with_more_labels_than_configured_is_rejected_and_the_rest_counts()
    {
        var product = UniqueProduct("labels");

        var ack = (await SubmissionStream.SubmitAllAsync(_server.Client, Batch(
            [Answer(product, 9, ("a", "1"), ("b", "2"), ("c", "3")), Answer(product, 9, ("a", "1"), ("b", "2"))]))).Single();

        Assert.Equal(1, ack.AcceptedCount);
        var rejected = Assert.Single(ack.Rejected);
        Assert.Equal(("responses[0].segments", "at most 2 segment labels are allowed; got 3."), (rejected.Field, rejected.Description));
    }

    [Fact]
    public async Task A_batch_over_the_configured_size_is_INVALID_ARGUMENT()
    {
        using var stream = new SubmissionStream(_server.Client);
        await stream.SendAsync(Batch(Mix(UniqueProduct("batch"), 11, 0, 0)));

        var failure = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Contains("at most 10", StatusAssertions.FieldViolations(failure)["responses"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_configured_size_is_RESOURCE_EXHAUSTED_and_a_smaller_one_is_served()
    {
        var product = UniqueProduct("size");
        var big = Batch([Answer(product, 9, ("note", new string('x', 64)), ("more", new string('y', 64)))]);
        big.WriterId = new string('w', 128);
        big.Sequence = 1;
        while (big.CalculateSize() <= 65536)
        {
            big.Responses.Add(big.Responses[0]);
        }

        using var stream = new SubmissionStream(_server.Client);
        try
        {
            await stream.SendAsync(big);
        }
        catch (RpcException)
        {
            // The server may refuse the call before the client has written the whole message.
        }

        var failure = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        var small = (await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 9)]))).Single();

        Assert.Equal("65536", StatusAssertions.ErrorInfo(failure, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge).Metadata["maxBytes"]);
        Assert.Equal(1, small.AcceptedCount);
    }

    [Fact]
    public async Task A_second_stream_on_a_connection_limited_to_one_waits_until_the_first_ends()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var client = new NpsService.NpsServiceClient(channel);
        var product = UniqueProduct("streams");
        using var first = new SubmissionStream(client);
        await first.SubmitAsync(Batch([Answer(product, 9)], "first", 1));

        using var second = new SubmissionStream(client);
        var secondSend = second.SendAsync(Batch([Answer(product, 3)], "second", 1));
        var secondAck = Task.Run(async () =>
        {
            await secondSend;
            return await second.ReadAckAsync();
        });
        var finishedWhileFirstOpen = await Task.WhenAny(secondAck, Task.Delay(TimeSpan.FromSeconds(1))) == secondAck;
        await first.CompleteAsync();

        Assert.False(finishedWhileFirstOpen, "The second stream was served while the first held the connection's only stream.");
        Assert.Equal(1, (await secondAck.WaitAsync(TimeSpan.FromSeconds(30))).AcceptedCount);
    }
}

/// <summary>The defaults are sized for the contract: its largest valid batch fits the default message limit.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class DefaultLimitsTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task The_largest_valid_batch_is_under_2_5_MiB_and_is_accepted_by_default()
    {
        var product = UniqueProduct("largest")[..32] + new string('p', 96);
        var responses = Enumerable.Range(0, 1000).Select(i =>
        {
            var response = Answer(product, i % 11, [.. Enumerable.Range(0, 16).Select(l => ($"{l:D2}{new string('k', 62)}", $"{i % 3}{new string('v', 63)}"))]);
            response.RespondentId = $"{i:D4}{new string('r', 124)}";
            return response;
        });
        var batch = Batch(responses, new string('w', 128), long.MaxValue);

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        Assert.InRange(batch.CalculateSize(), 2 * 1024 * 1024, (int)(2.5 * 1024 * 1024));
        Assert.Equal(1000, ack.AcceptedCount);
    }
}
