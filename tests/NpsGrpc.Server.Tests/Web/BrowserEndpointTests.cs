using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.Extensions.FileProviders;
using NpsGrpc.Server.Extensions;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Web;

/// <summary>Where browsers reach the server: the browser endpoint, its static files, and a TLS endpoint that serves both.</summary>
public sealed class BrowserEndpointTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly CapturedLogs _logs = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Files_given_to_UseBrowserFiles_are_served_from_the_root_of_the_browser_endpoint_beside_grpc_web()
    {
        var site = Directory.CreateTempSubdirectory("npsgrpc-site-");
        await File.WriteAllTextAsync(Path.Combine(site.FullName, "index.html"), "<!doctype html><title>NPS</title>");
        await File.WriteAllTextAsync(Path.Combine(site.FullName, "app.js"), "console.log('nps');");
        using var files = new PhysicalFileProvider(site.FullName);
        // Without the dashboard, which the server would otherwise serve at / before these files.
        await using var server = await NpsServerHost.StartAsync(
            _redis.Configuration, new Dictionary<string, string?> { ["Dashboard:Enabled"] = "false" }, configure: app => app.UseBrowserFiles(files));
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var browser = new BrowserChannel(server.WebAddress!);

        using var page = await http.GetAsync(server.WebAddress);
        using var script = await http.GetAsync(new Uri(server.WebAddress!, "/app.js"));
        var health = await new Grpc.Health.V1.Health.HealthClient(browser.Channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());

        Assert.Equal((HttpStatusCode.OK, "text/html"), (page.StatusCode, page.Content.Headers.ContentType?.MediaType));
        Assert.Equal("<!doctype html><title>NPS</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpVersion.Version11, page.Version);
        Assert.Equal((HttpStatusCode.OK, "text/javascript"), (script.StatusCode, script.Content.Headers.ContentType?.MediaType));
        Assert.True(page.Headers.CacheControl?.NoCache, $"Cache-Control: {page.Headers.CacheControl}");
        Assert.Equal(["nosniff"], page.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task The_server_logs_the_address_where_browsers_call_it()
    {
        await using var server = await NpsServerHost.StartAsync(
            _redis.Configuration, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }, _logs);

        Assert.Contains(
            _logs.Lines,
            line => line.StartsWith("[Information]", StringComparison.Ordinal)
                && line.Contains($"Browsers call gRPC-Web (HTTP/1.1) at http://127.0.0.1:{server.WebAddress!.Port}; gRPC clients use the other addresses", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.StartsWith("[Warning]", StringComparison.Ordinal) && line.Contains("Overriding address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_Web_Url_opens_no_browser_endpoint()
    {
        await using var server = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?> { ["Web:Url"] = string.Empty });

        var health = await HealthProbe.StatusAsync(server.Channel);

        Assert.Null(server.WebAddress);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health);
    }

    [Fact]
    public async Task One_TLS_endpoint_with_Http1AndHttp2_serves_grpc_over_HTTP_2_and_grpc_web_over_HTTP_1_1()
    {
        // The settings docs/grpc-web.md gives, on a free port and with a certificate of the test's own.
        var settings = await ShellExample.ServerSettingsAsync(
            DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "grpc-web.md")))
                .Single(block => block.Language == "sh" && block.Body.Contains("Protocols=Http1AndHttp2", StringComparison.Ordinal)).Body,
            output);
        Assert.Equal(("https://127.0.0.1:5001", "Http1AndHttp2", string.Empty), (settings["Kestrel:Endpoints:Grpc:Url"], settings["Kestrel:Endpoints:Grpc:Protocols"], settings["Web:Url"]));
        var (certificate, key, trusted) = SelfSigned();
        settings["Kestrel:Endpoints:Grpc:Url"] = "https://127.0.0.1:0";
        settings["Kestrel:Endpoints:Grpc:Certificate:Path"] = certificate;
        settings["Kestrel:Endpoints:Grpc:Certificate:KeyPath"] = key;
        await using var server = await NpsServerHost.StartAsync(_redis.Configuration, settings);
        SocketsHttpHandler Trusting() => new()
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == trusted },
        };
        var product = UniqueProduct("tls-web");
        using var grpc = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = Trusting() });
        using var browser = new BrowserChannel(server.Address, transport: Trusting());

        var ack = await browser.Client.SubmitResponseBatchAsync(Batch(Mix(product, 2, 0, 1), "tls-widget", 1));
        var score = (await new NpsService.NpsServiceClient(grpc).GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        Assert.Null(server.WebAddress);
        Assert.Equal(3, ack.AcceptedCount);
        Assert.Equal((3L, 33.0), (score.Total, Math.Round(score.Nps)));
        Assert.Equal([HttpVersion.Version11], browser.Versions.Distinct());
    }

    /// <summary>A certificate for 127.0.0.1 and its key as PEM files, and its thumbprint for the clients to trust.</summary>
    private static (string Certificate, string Key, string Thumbprint) SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var directory = Directory.CreateTempSubdirectory("npsgrpc-tls-").FullName;
        var (certificatePath, keyPath) = (Path.Combine(directory, "web.crt"), Path.Combine(directory, "web.key"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.GetCertHashString());
    }
}
