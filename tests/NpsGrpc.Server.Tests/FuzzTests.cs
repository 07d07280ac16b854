using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Random requests from a seeded generator (print the seed, replay it): valid and invalid responses, resent and
/// backwards sequences, truncated, corrupted and random bytes, random reads. After every request the invariants
/// hold: the status is one the contract names for that input (never INTERNAL or UNKNOWN), and every tally equals
/// exactly what the acknowledgements said was accepted, counting each (writer, product, sequence) once.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class FuzzTests(ScoringServerFixture fixture, ITestOutputHelper output)
{
    private static readonly Method<byte[], byte[]> RawSubmit = new(
        MethodType.DuplexStreaming, "nps.v1.NpsService", "SubmitResponses",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    private static readonly StatusCode[] ReadStatuses = [StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20261123)]
    public async Task Random_requests_from_a_seeded_generator_keep_every_tally_equal_to_what_was_acknowledged(int seed)
    {
        var random = new Random(seed);
        var run = Guid.NewGuid().ToString("N")[..8];
        var products = Enumerable.Range(0, 4).Select(i => $"fuzz-{seed}-{run}-{i}").ToArray();
        var writers = Enumerable.Range(0, 3).Select(i => $"fuzz-writer-{run}-{i}").Append(string.Empty).ToArray();
        var expected = products.ToDictionary(product => product, _ => new long[11]);
        var lastApplied = new Dictionary<(string Writer, string Product), long>();
        var nextSequence = writers.ToDictionary(writer => writer, _ => 1L);
        var statuses = new Dictionary<string, int>();

        for (var step = 0; step < 120; step++)
        {
            if (random.Next(6) == 0)
            {
                Count(statuses, "read " + await RandomReadAsync(random, products));
                continue;
            }

            var writer = writers[random.Next(writers.Length)];
            var sequence = writer.Length == 0 ? 0
                : random.Next(5) == 0 ? Math.Max(1, nextSequence[writer] - random.Next(1, 4)) // resent or backwards
                : nextSequence[writer]++;
            var request = RandomBatch(random, products, writer, sequence);
            var bytes = Mangle(random, request.ToByteArray(), out var mangling);
            SubmitResponsesRequest? parsed;
            try
            {
                parsed = SubmitResponsesRequest.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException)
            {
                parsed = null;
            }

            var (status, ack) = await SubmitRawAsync(bytes);
            Count(statuses, $"{mangling} {status}");
            if (parsed is null)
            {
                Assert.True(status == StatusCode.InvalidArgument, $"seed {seed} step {step}: unparseable bytes ({mangling}) got {status}");
                continue;
            }

            Assert.True(status is StatusCode.OK or StatusCode.InvalidArgument, $"seed {seed} step {step}: {mangling} got {status}");
            if (ack is not null)
            {
                Expect(parsed, ack, expected, lastApplied);
            }

            var checkedProduct = products[random.Next(products.Length)];
            var actual = await HistogramAsync(checkedProduct);
            Assert.True(
                expected[checkedProduct].AsEnumerable().SequenceEqual(actual),
                $"seed {seed} step {step}: {checkedProduct} differs from the acknowledged responses after {mangling}");
        }

        foreach (var product in products)
        {
            Assert.Equal(expected[product], await HistogramAsync(product));
        }

        output.WriteLine($"seed {seed}: " + string.Join(", ", statuses.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} ×{pair.Value}")));
    }

    [Theory]
    [InlineData("GetScore", new byte[] { 0x0A, 0x05, 0x61 })]
    [InlineData("CompareScores", new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData("GetScoreTrend", new byte[] { 0x0B })]
    [InlineData("ListSegments", new byte[] { 0x12, 0x80 })]
    [InlineData("GetScore", new byte[] { 0x0A, 0x02, 0xC3, 0x28 })]
    [InlineData("ListResponses", new byte[] { 0x38, 0x80 })]
    [InlineData("DeleteRespondentRecords", new byte[] { 0x12, 0x03, 0x61 })]
    [InlineData("AcknowledgeFollowUps", new byte[] { 0x0A, 0x04, 0x0A, 0x09 })]
    [InlineData("GetFollowUpBacklog", new byte[] { 0x1A, 0x02, 0x08 })]
    [InlineData("WatchScore", new byte[] { 0x2A, 0x03, 0x08 })]
    public async Task Bytes_that_are_not_the_methods_request_message_are_INVALID_ARGUMENT(string method, byte[] bytes)
    {
        var unary = new Method<byte[], byte[]>(MethodType.Unary, "nps.v1.NpsService", method,
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Server.Channel.CreateCallInvoker().AsyncUnaryCall(unary, null, new CallOptions(), bytes).ResponseAsync);

        var info = StatusAssertions.ErrorInfo(failure, StatusCode.InvalidArgument, ErrorReason.MalformedMessage);
        Assert.Equal($"nps.v1.{method}Request", info.Metadata["requestType"]);
        Assert.Contains("not a valid protobuf message", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compressed_reads_are_judged_once_decompressed_valid_ones_served_and_the_rest_refused_with_their_reason(string encoding)
    {
        var product = UniqueProduct("compressed");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 9)]));
        var compressed = new CallOptions(new Metadata { { "grpc-internal-encoding-request", encoding } });
        var unary = new Method<byte[], byte[]>(MethodType.Unary, "nps.v1.NpsService", "GetScore", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        // Five million zero bytes in field 2 (segment): a few kilobytes once compressed, over the 4 MiB limit once not.
        var huge = new GetScoreRequest { ProductId = product, Segment = new string('\0', 5_000_000) }.ToByteArray();

        var valid = await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, compressed);
        var unparseable = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Server.Channel.CreateCallInvoker().AsyncUnaryCall(unary, null, compressed, [0x0A, 0x05, 0x61]).ResponseAsync);
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Server.Channel.CreateCallInvoker().AsyncUnaryCall(unary, null, compressed, huge).ResponseAsync);

        Assert.Equal(1, valid.Score.Total);
        StatusAssertions.ErrorInfo(unparseable, StatusCode.InvalidArgument, ErrorReason.MalformedMessage);
        Assert.Equal("4194304", StatusAssertions.ErrorInfo(tooLarge, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge).Metadata["maxBytes"]);
    }

    [Theory]
    [InlineData("GetScore")]
    [InlineData("SubmitResponses")]
    public async Task A_compressed_request_whose_bytes_do_not_decompress_is_INVALID_ARGUMENT_never_UNKNOWN_or_INTERNAL(string method)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Server.Address, $"/nps.v1.NpsService/{method}"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([1, 0, 0, 0, 4, 0xDE, 0xAD, 0xBE, 0xEF]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        // A trailers-only answer carries the status in the headers; a stream's, in the trailers.
        var status = response.Headers.Concat(response.TrailingHeaders).ToDictionary(header => header.Key, header => header.Value.Single());
        Assert.Equal("3", status["grpc-status"]);
        var details = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(Padded(status["grpc-status-details-bin"])));
        Assert.Equal(StatusAssertions.ReasonName(ErrorReason.MalformedMessage), details.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
        Assert.Contains("gzip-compressed bytes do not decompress", Uri.UnescapeDataString(status["grpc-message"]), StringComparison.Ordinal);
    }

    private static string Padded(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    [Fact]
    public async Task Bytes_that_are_not_a_SubmitResponsesRequest_end_the_stream_with_the_same_reason()
    {
        using var call = fixture.Server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(RawSubmit, null, new CallOptions());
        await call.RequestStream.WriteAsync([0x0A, 0x05, 0x61]);

        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        var info = StatusAssertions.ErrorInfo(failure, StatusCode.InvalidArgument, ErrorReason.MalformedMessage);
        Assert.Equal("nps.v1.SubmitResponsesRequest", info.Metadata["requestType"]);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_StreamFollowUpsRequest_are_INVALID_ARGUMENT_before_any_group_is_made()
    {
        var watch = new Method<byte[], byte[]>(MethodType.ServerStreaming, "nps.v1.NpsService", "StreamFollowUps",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        using var call = fixture.Server.Channel.CreateCallInvoker().AsyncServerStreamingCall(watch, null, new CallOptions(), [0x0A, 0x04, 0x63, 0x61]);
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        var info = StatusAssertions.ErrorInfo(failure, StatusCode.InvalidArgument, ErrorReason.MalformedMessage);
        Assert.Equal("nps.v1.StreamFollowUpsRequest", info.Metadata["requestType"]);
    }

    /// <summary>What the server acknowledged, counted once per (writer, product, sequence), as the contract says.</summary>
    private static void Expect(SubmitResponsesRequest request, SubmitResponsesResponse ack, Dictionary<string, long[]> expected, Dictionary<(string, string), long> lastApplied)
    {
        var rejected = ack.Rejected.Select(rejection => rejection.Index).ToHashSet();
        var accepted = request.Responses.Where((_, index) => !rejected.Contains(index)).ToList();
        Assert.Equal(accepted.Count, ack.AcceptedCount);
        foreach (var group in accepted.GroupBy(response => response.ProductId))
        {
            var fresh = request.WriterId.Length == 0
                || !lastApplied.TryGetValue((request.WriterId, group.Key), out var last) || request.Sequence > last;
            if (request.WriterId.Length > 0 && fresh)
            {
                lastApplied[(request.WriterId, group.Key)] = request.Sequence;
            }

            if (fresh && expected.TryGetValue(group.Key, out var counts))
            {
                foreach (var response in group)
                {
                    counts[response.Score]++;
                }
            }
        }
    }

    private async Task<(StatusCode Status, SubmitResponsesResponse? Ack)> SubmitRawAsync(byte[] bytes)
    {
        using var call = fixture.Server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(RawSubmit, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
        try
        {
            await call.RequestStream.WriteAsync(bytes);
            await call.RequestStream.CompleteAsync();
            SubmitResponsesResponse? ack = null;
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                Assert.Null(ack);
                ack = SubmitResponsesResponse.Parser.ParseFrom(call.ResponseStream.Current);
            }

            return (StatusCode.OK, ack);
        }
        catch (RpcException e)
        {
            return (e.StatusCode, null);
        }
    }

    private async Task<StatusCode> RandomReadAsync(Random random, string[] products)
    {
        var request = new GetScoreRequest
        {
            ProductId = random.Next(4) == 0 ? RandomText(random) : products[random.Next(products.Length)],
            Segment = random.Next(3) == 0 ? RandomText(random) : string.Empty,
            ConfidencePercent = random.Next(4) == 0 ? random.Next(-5, 120) : 0,
        };
        if (random.Next(3) == 0)
        {
            request.StartTime = new Timestamp { Seconds = random.NextInt64(-100_000_000_000, 300_000_000_000), Nanos = random.Next(-5, 1_000_000_005) };
            request.EndTime = new Timestamp { Seconds = random.NextInt64(-100_000_000_000, 300_000_000_000) };
        }

        try
        {
            await fixture.Client.GetScoreAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            Assert.Contains(e.StatusCode, ReadStatuses);
            return e.StatusCode;
        }
    }

    private static SubmitResponsesRequest RandomBatch(Random random, string[] products, string writer, long sequence)
    {
        var request = new SubmitResponsesRequest { WriterId = random.Next(30) == 0 ? RandomText(random) : writer, Sequence = random.Next(30) == 0 ? -sequence : sequence };
        var count = random.Next(10) == 0 ? random.Next(990, 1010) : random.Next(0, 40);
        for (var i = 0; i < count; i++)
        {
            var response = new SurveyResponse { ProductId = random.Next(8) == 0 ? RandomText(random) : products[random.Next(products.Length)] };
            if (random.Next(12) != 0)
            {
                response.Score = random.Next(8) == 0 ? random.Next(-3, 15) : random.Next(0, 11);
            }

            var labels = random.Next(15) == 0 ? 17 : random.Next(0, 3);
            for (var l = 0; l < labels; l++)
            {
                response.Segments[random.Next(10) == 0 ? RandomText(random) : $"k{random.Next(4)}"] = random.Next(10) == 0 ? RandomText(random) : $"v{random.Next(3)}";
            }

            if (random.Next(10) == 0)
            {
                response.AnsweredAt = new Timestamp { Seconds = random.NextInt64(0, 4_000_000_000) };
            }

            request.Responses.Add(response);
        }

        return request;
    }

    private static byte[] Mangle(Random random, byte[] bytes, out string mangling)
    {
        switch (random.Next(10))
        {
            case 0 when bytes.Length > 0:
                mangling = "truncated";
                return bytes[..random.Next(bytes.Length)];
            case 1 when bytes.Length > 0:
                mangling = "corrupted";
                var corrupted = (byte[])bytes.Clone();
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
                }

                return corrupted;
            case 2:
                mangling = "random";
                var noise = new byte[random.Next(1, 200)];
                random.NextBytes(noise);
                return noise;
            default:
                mangling = "well-formed";
                return bytes;
        }
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "abcXYZ019._:-={} ,/*\t\n\0é\u00ff\u2028\U0001F600";
        var chars = Enumerable.Range(0, random.Next(0, random.Next(2) == 0 ? 8 : 200)).Select(_ => alphabet[random.Next(alphabet.Length)]);
        return new string([.. chars]);
    }

    private async Task<long[]> HistogramAsync(string product)
    {
        try
        {
            return [.. (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score.Distribution];
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return new long[11];
        }
    }

    private static void Count(Dictionary<string, int> statuses, string key) => statuses[key] = statuses.GetValueOrDefault(key) + 1;
}
