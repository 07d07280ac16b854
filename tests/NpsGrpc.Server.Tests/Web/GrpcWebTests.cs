using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Web;

/// <summary>
/// gRPC-Web on the browser endpoint (Web:Url): unary and server-streaming RPCs over HTTP/1.1, as a browser calls them,
/// answering what the same calls answer over h2c on the gRPC port, which keeps serving h2c.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class GrpcWebTests(ScoringServerFixture fixture)
{
    private Uri WebAddress => fixture.Server.WebAddress ?? throw new InvalidOperationException("The test server has no browser endpoint.");

    [Theory]
    [InlineData(GrpcWebMode.GrpcWeb)]
    [InlineData(GrpcWebMode.GrpcWebText)]
    public async Task A_unary_read_over_grpc_web_on_the_browser_port_is_carried_by_HTTP_1_1_and_answers_as_h2c_does(GrpcWebMode mode)
    {
        var product = UniqueProduct("web-read");
        await fixture.Client.SubmitResponseBatchAsync(Batch(Mix(product, 45, 30, 25)));
        using var browser = new BrowserChannel(WebAddress, mode);

        var viaWeb = await browser.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = string.Empty });
        var viaH2c = await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product });

        Assert.Equal(viaH2c, viaWeb);
        Assert.Equal(20, viaWeb.Score.Nps);
        Assert.Equal([HttpVersion.Version11], browser.Versions.Distinct());
    }

    [Fact]
    public async Task SubmitResponseBatch_over_grpc_web_answers_the_acknowledgement_h2c_answers_and_counts_once()
    {
        var (web, h2c) = (UniqueProduct("web-submit"), UniqueProduct("h2c-submit"));
        using var browser = new BrowserChannel(WebAddress);
        SubmitResponsesRequest BatchFor(string product) =>
            Batch([Answer(product, 10, ("region", "eu")), Answer(product, 11), Answer(product, 2).Saying("Too slow", "en")], "widget-7f3a", 1);

        var posted = await browser.Client.SubmitResponseBatchAsync(BatchFor(web));
        var resent = await browser.Client.SubmitResponseBatchAsync(BatchFor(web));
        var sentOverH2c = await fixture.Client.SubmitResponseBatchAsync(BatchFor(h2c));

        Assert.Equal(sentOverH2c, posted);
        Assert.Equal((2, false), (posted.AcceptedCount, posted.Duplicate));
        Assert.Equal(("responses[1].score", RejectionReason.ScoreOutOfRange), (posted.Rejected[0].Field, posted.Rejected[0].Reason));
        Assert.True(resent.Duplicate);
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = web })).Score;
        Assert.Equal((2L, 1L, 1L), (score.Total, score.Promoters, score.Detractors));
        Assert.Equal([HttpVersion.Version11], browser.Versions.Distinct());
    }

    [Fact]
    public async Task A_server_streaming_call_over_grpc_web_delivers_as_it_goes()
    {
        var product = UniqueProduct("web-stream");
        using var browser = new BrowserChannel(WebAddress);
        using var watching = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        using var stream = browser.Client.StreamFollowUps(
            new StreamFollowUpsRequest { Group = "web-care", Consumer = "page", ProductIds = { product } }, cancellationToken: watching.Token);
        // The headers come once the group exists on the product: what is recorded from then on is delivered.
        await stream.ResponseHeadersAsync;
        await browser.Client.SubmitResponseBatchAsync(Batch([Answer(product, 1).Saying("Nobody called back", "en")], "web-stream-writer", 1));
        Assert.True(await stream.ResponseStream.MoveNext(watching.Token), "The stream ended without a delivery.");

        var delivery = Assert.Single(stream.ResponseStream.Current.Deliveries);
        Assert.Equal((product, 1, "Nobody called back"), (delivery.Record.ProductId, delivery.Record.Score, delivery.Record.Comment));
        Assert.Equal([HttpVersion.Version11], browser.Versions.Distinct());
    }

    [Fact]
    public async Task Errors_over_grpc_web_carry_their_status_ErrorInfo_and_field_violations()
    {
        using var browser = new BrowserChannel(WebAddress, GrpcWebMode.GrpcWebText);
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "nps.v1.NpsService", "SubmitResponseBatch",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        var notFound = await Assert.ThrowsAsync<RpcException>(() =>
            browser.Client.GetScoreAsync(new GetScoreRequest { ProductId = UniqueProduct("never") }).ResponseAsync);
        var invalid = await Assert.ThrowsAsync<RpcException>(() =>
            browser.Client.SubmitResponseBatchAsync(Batch(Mix(UniqueProduct("web-invalid"), 1, 0, 0), "web writer", 0)).ResponseAsync);
        // Refused by the server's own check of the request bytes, before any service code: a trailers-only answer.
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            browser.Channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(), [0x1A, 0x03, 0x0A]).ResponseAsync);

        // 1000 comments of 2000 four-byte code points: 8 MB, twice the default limit, refused by its frame header.
        var oversized = Batch(Enumerable.Range(0, 1000).Select(_ => Answer("web-oversized", 3).Saying(string.Concat(Enumerable.Repeat("😀", 2000)))));
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => browser.Client.SubmitResponseBatchAsync(oversized).ResponseAsync);

        StatusAssertions.ErrorInfo(notFound, StatusCode.NotFound, ErrorReason.ProductNotFound);
        StatusAssertions.ErrorInfo(tooLarge, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge);
        Assert.Equal(["sequence", "writer_id"], StatusAssertions.FieldViolations(invalid).Keys.Order(StringComparer.Ordinal));
        Assert.Equal("nps.v1.SubmitResponsesRequest", StatusAssertions.ErrorInfo(malformed, StatusCode.InvalidArgument, ErrorReason.MalformedMessage).Metadata["requestType"]);
    }

    [Fact]
    public async Task The_grpc_port_still_serves_h2c_to_grpc_clients_and_no_HTTP_1_1()
    {
        var product = UniqueProduct("h2c");
        using var h2c = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { HttpHandler = new VersionCheck(new SocketsHttpHandler()) });
        using var http1 = new BrowserChannel(fixture.Server.Address);

        var acks = await SubmissionStream.SubmitAllAsync(new NpsService.NpsServiceClient(h2c), Batch(Mix(product, 1, 0, 1), "h2c-writer", 1));
        var score = (await new NpsService.NpsServiceClient(h2c).GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var refused = await Assert.ThrowsAsync<RpcException>(() => http1.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);

        Assert.Equal(2, Assert.Single(acks).AcceptedCount);
        Assert.Equal((2L, 0.0), (score.Total, score.Nps));
        Assert.NotEqual(fixture.Server.Address.Port, WebAddress.Port);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task Without_cors_origins_no_page_of_another_origin_is_allowed()
    {
        using var response = await CorsTests.PreflightAsync(fixture.Server, "https://shop.example");

        Assert.Null(CorsTests.Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(CorsTests.Header(response, "Access-Control-Allow-Headers"));
    }

    /// <summary>Fails any response that is not HTTP/2: the gRPC port answers gRPC clients over h2c.</summary>
    private sealed class VersionCheck(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Assert.Equal(HttpVersion.Version20, response.Version);
            return response;
        }
    }
}
