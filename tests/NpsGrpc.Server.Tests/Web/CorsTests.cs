using System.Buffers.Binary;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Protobuf;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Web;

/// <summary>
/// CORS by <c>Web:CorsOrigins</c>: a page of an allowed origin may call the browser endpoint through gRPC-Web with its
/// API key and read every status; a page of any other origin gets no CORS headers, so its browser keeps the answer from it.
/// </summary>
public sealed class CorsTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Shop = "https://shop.example";
    private const string Key = "nps_widget_5c1e9a0b7d3f48e2a6c4b1d09e8f7a6c";

    private readonly HttpClient _http = new() { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        // The origins docs/grpc-web.md configures, and a key for the page.
        var settings = await ShellExample.ServerSettingsAsync(
            DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "grpc-web.md")))
                .Single(block => block.Language == "sh" && block.Body.Contains("Web__CorsOrigins__0", StringComparison.Ordinal)).Body,
            output);
        Assert.Equal((Shop, "https://www.shop.example"), (settings["Web:CorsOrigins:0"], settings["Web:CorsOrigins:1"]));
        settings.WithApiKeys(("widget", Key, ["submit"]));
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration, settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_allows_a_grpc_web_post_with_an_api_key()
    {
        using var response = await PreflightAsync(_server, Shop);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Shop, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Equal(
            ["authorization", "content-type", "x-grpc-web", "x-user-agent"],
            Header(response, "Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_call_from_an_allowed_origin_is_answered_with_its_status_headers_exposed_whether_its_key_is_missing_or_good()
    {
        var product = UniqueProduct("cors");
        var batch = Batch([Answer(product, 9), Answer(product, 11)], "widget-page-1", 1);

        using var refused = await PostAsync("SubmitResponseBatch", batch, authorization: null);
        using var counted = await PostAsync("SubmitResponseBatch", batch, authorization: "Bearer " + Key);
        // The body is the message's frame, then the trailers' frame.
        var body = await counted.Content.ReadAsByteArrayAsync();
        var ack = SubmitResponsesResponse.Parser.ParseFrom(body, 5, (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)));

        foreach (var response in new[] { refused, counted })
        {
            Assert.Equal(Shop, Header(response, "Access-Control-Allow-Origin"));
            Assert.Equal(
                ["grpc-message", "grpc-status", "grpc-status-details-bin"],
                Header(response, "Access-Control-Expose-Headers")!.Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        }

        // A refusal before any message is trailers-only: its status is in the headers the page may now read.
        Assert.Equal("16", Header(refused, "grpc-status"));
        Assert.StartsWith("application/grpc-web", refused.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal((1, 1), (ack.AcceptedCount, ack.Rejected.Count));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://shop.example")]
    [InlineData("https://shop.example:8443")]
    [InlineData("https://shop.example.evil.example")]
    public async Task A_preflight_from_any_other_origin_gets_no_CORS_headers(string origin)
    {
        using var response = await PreflightAsync(_server, origin);

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task A_star_allows_every_origin()
    {
        await using var open = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?> { ["Web:CorsOrigins:0"] = "*" });

        using var response = await PreflightAsync(open, "https://anywhere.example");

        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    /// <summary>What a browser sends before a gRPC-Web call with an API key from a page of <paramref name="origin"/>.</summary>
    internal static async Task<HttpResponseMessage> PreflightAsync(NpsServerHost server, string origin)
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(server.WebAddress!, "/nps.v1.NpsService/SubmitResponseBatch"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-grpc-web,x-user-agent");
        return await http.SendAsync(preflight);
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    /// <summary>A gRPC-Web call as a page of <see cref="Shop"/> makes it with fetch: one framed message, read whole.</summary>
    private async Task<HttpResponseMessage> PostAsync(string method, IMessage request, string? authorization)
    {
        var message = request.ToByteArray();
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        using var call = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.WebAddress!, $"/nps.v1.NpsService/{method}")) { Content = new ByteArrayContent(framed) };
        call.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web+proto");
        call.Headers.Add("Origin", Shop);
        call.Headers.Add("x-grpc-web", "1");
        if (authorization is not null)
        {
            call.Headers.Add("authorization", authorization);
        }

        var response = await _http.SendAsync(call);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
