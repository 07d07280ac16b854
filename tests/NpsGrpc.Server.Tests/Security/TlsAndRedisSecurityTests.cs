using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NpsGrpc.Server.Tests.Security;

/// <summary>TLS between clients and the server, as docs/security.md shows it.</summary>
public sealed class SecurityTests(ITestOutputHelper output)
{
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_documented_self_signed_certificate_serves_grpc_over_tls()
    {
        var blocks = DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "security.md")))
            .Where(block => block.Language == "sh").ToList();
        // The blocks write under ~/.config/npsgrpc: a home of the test's own keeps them out of the real one.
        var home = Directory.CreateTempSubdirectory("npsgrpc-tls-home-").FullName;
        var environment = new Dictionary<string, string> { ["HOME"] = home };
        var (made, _, _) = await ShellExample.RunAsync(
            blocks.Single(block => block.Body.Contains("openssl req", StringComparison.Ordinal)).Body, new Uri("http://unused"), output, environment: environment);
        Assert.Equal(0, made);
        var settings = await ShellExample.ServerSettingsAsync(blocks.Single(block => block.Body.Contains("Kestrel__", StringComparison.Ordinal)).Body, output, environment);
        Assert.Equal("https://127.0.0.1:5001", settings["Kestrel:Endpoints:Grpc:Url"]);
        settings["Kestrel:Endpoints:Grpc:Url"] = "https://127.0.0.1:0";
        await using var redis = await RedisServer.StartAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, settings);
        var product = UniqueProduct("tls");
        using var trusting = TrustingChannel(server.Address, settings["Kestrel:Endpoints:Grpc:Certificate:Path"]!);
        using var untrusting = GrpcChannel.ForAddress(server.Address);
        using var plaintext = GrpcChannel.ForAddress(new UriBuilder(server.Address) { Scheme = "http" }.Uri);

        var ack = (await SubmissionStream.SubmitAllAsync(new NpsService.NpsServiceClient(trusting), Batch(Mix(product, 3, 1, 1)))).Single();
        var (exitCode, stdout, _) = await ShellExample.RunAsync(
            blocks.Single(block => block.Body.Contains("--cacert", StringComparison.Ordinal)).Body.Replace("\"checkout\"", $"\"{product}\"", StringComparison.Ordinal),
            server.Address, output, documentedAddress: "https://127.0.0.1:5001", environment: environment);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new NpsService.NpsServiceClient(untrusting).GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);
        var cleartext = await Assert.ThrowsAsync<RpcException>(() => new NpsService.NpsServiceClient(plaintext).GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);

        Assert.Equal(Path.Combine(home, ".config", "npsgrpc", "nps.key"), settings["Kestrel:Endpoints:Grpc:Certificate:KeyPath"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(home, ".config", "npsgrpc")));
        Assert.StartsWith("https://", server.Address.ToString(), StringComparison.Ordinal);
        Assert.Equal(5, ack.AcceptedCount);
        Assert.Equal(0, exitCode);
        Assert.Contains("\"total\": \"5\"", stdout, StringComparison.Ordinal);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        Assert.Contains("SSL", refused.Status.DebugException?.ToString() ?? refused.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(StatusCode.OK, cleartext.StatusCode);
    }

    [Fact]
    public async Task Keys_and_certificates_made_inside_the_repository_are_git_ignored()
    {
        string[] secrets = ["nps.key", "nps.crt", "nps.pem", "nps.pfx", "nps.p12", "src/NpsGrpc.Server/nps.key"];

        var (exitCode, stdout, _) = await ShellExample.RunAsync(
            "git check-ignore --no-index " + string.Join(' ', secrets), new Uri("http://unused"), output, workingDirectory: RepositoryPaths.Root);

        Assert.Equal(0, exitCode);
        Assert.Equal(secrets, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A channel that trusts exactly one self-signed certificate, as a client given nps.crt would.</summary>
    internal static GrpcChannel TrustingChannel(Uri address, string certificatePath)
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}

/// <summary>The server on a Redis that requires an ACL user and password, and on one that speaks only TLS.</summary>
public sealed class RedisSecurityTests(ITestOutputHelper output)
{
    private const string Password = "redis-acl-password-3f9d2c7e1b";

    private static RedisServerOptions AclOnly(string suffix = "") => new()
    {
        Arguments = _ => ["--user", "default", "off", "--user", "nps", "on", ">" + Password, "~nps:*", "+@all"],
        ConnectionSuffix = ",user=nps,password=" + Password + suffix,
    };

    [Fact]
    public async Task The_server_counts_and_reads_through_an_acl_user_limited_to_its_keys()
    {
        await using var redis = await RedisServer.StartAsync(options: AclOnly());
        await using var server = await NpsServerHost.StartAsync(redis.Configuration);
        var product = UniqueProduct("acl");

        var ack = (await SubmissionStream.SubmitAllAsync(server.Client, Batch([.. Mix(product, 2, 0, 1), Answer(product, 9).By("someone")], "acl-writer", 1))).Single();
        var score = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var segments = await server.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product });

        Assert.Equal(4, ack.AcceptedCount);
        Assert.Equal((4L, 3L), (score.Total, score.Promoters));
        Assert.Empty(segments.Segments);
    }

    [Fact]
    public async Task A_wrong_redis_password_gives_NOT_SERVING_and_UNAVAILABLE_and_never_reaches_the_log()
    {
        await using var redis = await RedisServer.StartAsync(options: AclOnly());
        using var logs = new CapturedLogs();
        var wrong = redis.Configuration.Replace(Password, "not-the-password-8c1a", StringComparison.Ordinal);
        await using var server = await NpsServerHost.StartAsync(wrong, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" }, logs);

        var health = await HealthProbe.StatusAsync(server.Channel);
        var failure = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "p" }).ResponseAsync);

        Assert.Equal(ServingStatus.NotServing, health);
        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("not-the-password-8c1a", StringComparison.Ordinal) || line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_server_reaches_a_tls_only_redis_signed_by_a_private_ca_named_in_configuration()
    {
        var directory = Directory.CreateTempSubdirectory("npsgrpc-redis-tls-").FullName;
        var (made, _, _) = await ShellExample.RunAsync("""
            set -e
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=test redis ca" -keyout ca.key -out ca.crt
            openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout redis.key -out redis.csr
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
            openssl x509 -req -in redis.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out redis.crt
            """, new Uri("http://unused"), output, workingDirectory: directory);
        Assert.Equal(0, made);
        var ca = Path.Combine(directory, "ca.crt");
        await using var redis = await RedisServer.StartAsync(options: new RedisServerOptions
        {
            Arguments = port =>
            [
                "--port", "0", "--tls-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tls-cert-file", Path.Combine(directory, "redis.crt"), "--tls-key-file", Path.Combine(directory, "redis.key"),
                "--tls-ca-cert-file", ca, "--tls-auth-clients", "no",
                "--user", "default", "off", "--user", "nps", "on", ">" + Password, "~nps:*", "+@all",
            ],
            ConnectionSuffix = ",ssl=true,sslHost=localhost,user=nps,password=" + Password,
            TrustedCertificateAuthority = ca,
        });
        await using var untrusting = await NpsServerHost.StartAsync(redis.Configuration);
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, new Dictionary<string, string?> { ["Redis:TrustedCertificateAuthority"] = ca });
        var product = UniqueProduct("redis-tls");

        var ack = (await SubmissionStream.SubmitAllAsync(server.Client, Batch(Mix(product, 1, 1, 1), "tls-writer", 1))).Single();
        var score = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var refused = await Assert.ThrowsAsync<RpcException>(() => untrusting.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);

        Assert.Equal(3, ack.AcceptedCount);
        Assert.Equal(3L, score.Total);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }
}
