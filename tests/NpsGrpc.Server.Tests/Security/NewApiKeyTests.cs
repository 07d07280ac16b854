using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using NpsGrpc.Core.Security;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Security;

/// <summary>The key-making command of docs/security.md, run as written, and the configuration block after it.</summary>
public sealed class NewApiKeyTests(ITestOutputHelper output)
{
    private const string KeyPattern = "^nps_[A-Za-z0-9_-]{43}$";
    private const string HashPattern = "^sha256:[0-9a-f]{64}$";

    [Fact]
    public async Task The_documented_new_api_key_command_prints_a_key_that_calls_a_server_configured_with_the_hash_it_printed()
    {
        var blocks = DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "security.md")));
        var make = blocks.FindIndex(block => block.Language == "sh" && block.Body.Contains("new-api-key", StringComparison.Ordinal));
        var shown = blocks[make + 1];
        var configure = blocks.Single(block => block.Language == "sh" && block.Body.Contains("Authentication__ApiKeys__", StringComparison.Ordinal));

        var (exitCode, stdout, stderr) = await ShellExample.RunAsync(blocks[make].Body, new Uri("http://unused"), output, workingDirectory: RepositoryPaths.Root);
        Assert.Equal(0, exitCode);
        var (ingestKey, ingestHash) = KeyAndHash(stdout);
        var dashboardKey = ApiKeyRing.NewKey();
        var settings = await ShellExample.ServerSettingsAsync(configure.Body, output, new Dictionary<string, string>
        {
            ["INGEST_SHA256"] = ingestHash,
            ["DASHBOARD_SHA256"] = ApiKeyRing.HashOf(dashboardKey),
        });
        await using var redis = await RedisServer.StartAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, settings);
        var product = UniqueProduct("new-api-key");

        int accepted;
        using (var call = server.Client.SubmitResponses(Bearer(ingestKey)))
        {
            await call.RequestStream.WriteAsync(Batch(Mix(product, 2, 1, 1), "w", 1));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            accepted = call.ResponseStream.Current.AcceptedCount;
            await call.RequestStream.CompleteAsync();
        }

        var score = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Bearer(dashboardKey))).Score;
        var ingestReads = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Bearer(ingestKey)).ResponseAsync);
        var hashAsKey = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Bearer(ingestHash)).ResponseAsync);

        Assert.Equal(ingestHash, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ingestKey))));
        Assert.Contains("Authentication:ApiKeys:<n>:Sha256", stderr, StringComparison.Ordinal);
        Assert.Equal(4, accepted);
        Assert.Equal((4L, 25.0), (score.Total, score.Nps));
        Assert.Equal(StatusCode.PermissionDenied, ingestReads.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, hashAsKey.StatusCode);
        // The example the page shows is a pair the command could have printed: the hash is the shown key's.
        Assert.Equal("text", shown.Language);
        var (shownKey, shownHash) = KeyAndHash(shown.Body);
        Assert.Equal(ApiKeyRing.HashOf(shownKey), shownHash);
    }

    [Fact]
    public async Task New_api_key_prints_a_different_key_each_time_and_refuses_arguments()
    {
        var assembly = ServerProcess.ServerAssembly();
        var first = await ShellExample.RunAsync($"dotnet '{assembly}' new-api-key --urls http://127.0.0.1:1", new Uri("http://unused"), output);
        var second = await ShellExample.RunAsync($"dotnet '{assembly}' new-api-key", new Uri("http://unused"), output);
        var third = await ShellExample.RunAsync($"dotnet '{assembly}' new-api-key", new Uri("http://unused"), output);

        Assert.Equal(2, first.ExitCode);
        Assert.Equal(string.Empty, first.Stdout);
        Assert.Contains("new-api-key takes no arguments", first.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, 0), (second.ExitCode, third.ExitCode));
        Assert.NotEqual(KeyAndHash(second.Stdout), KeyAndHash(third.Stdout));
    }

    /// <summary>Standard output is exactly a key line and a hash line.</summary>
    private static (string Key, string Hash) KeyAndHash(string printed)
    {
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(KeyPattern, lines[0]);
        Assert.Matches(HashPattern, lines[1]);
        return (lines[0], lines[1]);
    }

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };
}
