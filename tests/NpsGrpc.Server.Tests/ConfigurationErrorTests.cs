using NpsGrpc.Core.Security;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// The server process started on settings it refuses: one line per mistake on its output, naming the setting,
/// no stack trace, exit code 78. A test host would surface the exception instead, so these start the real binary.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class ConfigurationErrorTests(ScoringServerFixture fixture, ITestOutputHelper output)
{
    private const int ExConfig = 78;
    private const string Key = "Authentication:ApiKeys:0:";

    public static TheoryData<string, string> RefusedSettings => new()
    {
        // The doc's key once was `openssl rand -hex 32`: 64 hex digits, which used to pass for a hash.
        { $"{Key}Name=k|{Key}Sha256={Convert.ToHexStringLower(new byte[32])}|{Key}Scopes:0=read", $"{Key}Sha256: API key 'k': 64 hex digits without 'sha256:' may be a hash or a key" },
        { $"{Key}Name=k|{Key}Sha256=sha256:not-hex|{Key}Scopes:0=read", $"{Key}Sha256: API key 'k': not a hash;" },
        { $"{Key}Name=k|{Key}Scopes:0=read", $"{Key}Sha256: API key 'k' has no hash;" },
        { $"{Key}Sha256={ApiKeyRing.HashOf("x")}|{Key}Scopes:0=read", $"{Key}Name: every API key needs a Name" },
        { $"{Key}Name=k|{Key}Sha256={ApiKeyRing.HashOf("x")}|{Key}Scopes:0=read|{Key}Scopes:1=write", $"{Key}Scopes:1: API key 'k' has an unknown scope 'write'; scopes are 'submit', 'read', 'follow_up' and 'erase'." },
        { $"{Key}Name=k|{Key}Sha256={ApiKeyRing.HashOf("x")}", $"{Key}Scopes: API key 'k' has no scope;" },
        {
            $"{Key}Name=k|{Key}Sha256={ApiKeyRing.HashOf("x")}|{Key}Scopes:0=read|Authentication:ApiKeys:1:Name=k|Authentication:ApiKeys:1:Sha256={ApiKeyRing.HashOf("y")}|Authentication:ApiKeys:1:Scopes:0=read",
            "Authentication:ApiKeys:1:Name: 'k' is already the name of Authentication:ApiKeys:0; names must be unique."
        },
        { "Ingestion:MaxResponsesPerBatch=5000", "Ingestion:MaxResponsesPerBatch: The field MaxResponsesPerBatch must be between 1 and 1000." },
        { "Ingestion:MaxSegmentsPerResponse=17", "Ingestion:MaxSegmentsPerResponse: The field MaxSegmentsPerResponse must be between 0 and 16." },
        { "Limits:MaxReceiveMessageBytes=1", "Limits:MaxReceiveMessageBytes: The field MaxReceiveMessageBytes must be between" },
        { "Limits:MaxStreamsPerConnection=lots", "Failed to convert configuration value" },
        { "Dashboard:Enabled=maybe", "Failed to convert configuration value 'maybe' at 'Dashboard:Enabled' to type 'System.Boolean'." },
        { "Retention:DayBuckets=00:00:00", "Retention:DayBuckets: The field DayBuckets must be between" },
        { "Redis:KeyPrefix={nps}", "Redis:KeyPrefix is 1 to 64 characters" },
        { "Redis:ReplicaAcknowledgements=9", "Redis:ReplicaAcknowledgements: The field ReplicaAcknowledgements must be between 0 and 5." },
        { "Comments:DefaultLanguage=english", "Comments:DefaultLanguage must be a BCP 47 tag such as 'fr' or 'en-GB'" },
        { "Records:FollowUpCategories:0=vip", "Records:FollowUpCategories: 'vip' is not a category; use 'detractor', 'passive' or 'promoter'." },
        { "Records:TermsPerMonth=5", "Records:TermsPerMonth: The field TermsPerMonth must be between 100 and 1000000." },
        { "Records:MaxPerProduct=0", "Records:MaxPerProduct: The field MaxPerProduct must be between 1 and 1000000000." },
        { "Retention:Records=00:00:00", "Retention:Records: The field Records must be between" },
        { "Retention:Terms=00:00:00", "Retention:Terms: The field Terms must be between" },
        { "Retention:Terms=36501.00:00:00", "Retention:Terms: The field Terms must be between" },
        { "Telemetry:FollowUpBacklogInterval=00:00:00.05", "Telemetry:FollowUpBacklogInterval: '00:00:00.0500000' is below 100 ms; zero turns sampling off." },
        { "Telemetry:FollowUpBacklogMemory=00:00:00", "Telemetry:FollowUpBacklogMemory: '00:00:00' must be positive." },
        { "Telemetry:FollowUpBacklogMaxPairs=0", "Telemetry:FollowUpBacklogMaxPairs: The field FollowUpBacklogMaxPairs must be between 1 and 100000." },
        { "Telemetry:PrometheusPath=metrics", "Telemetry:PrometheusPath: 'metrics' is not a path; write one such as '/metrics'." },
        { "OTEL_EXPORTER_OTLP_ENDPOINT=collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' is not an absolute http:// or https:// URI." },
        { "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317|OTEL_EXPORTER_OTLP_PROTOCOL=http/json", "OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' is not an OTLP protocol the exporter speaks; use 'grpc' or 'http/protobuf'." },
        { "Web:Url=127.0.0.1:5080", "Web:Url: '127.0.0.1:5080' is not an address such as http://127.0.0.1:5080; empty opens no browser endpoint." },
        { "Web:Url=http://127.0.0.1:5080/dashboard", "Web:Url: 'http://127.0.0.1:5080/dashboard' has a path; an endpoint is scheme://host:port; empty opens no browser endpoint." },
        { "Web:CorsOrigins:0=https://shop.example/", "Web:CorsOrigins:0: 'https://shop.example/' must be scheme://host[:port], without a path or a trailing '/', as a browser sends it in its Origin header." },
        { "Web:CorsOrigins:0=shop.example", "Web:CorsOrigins:0: 'shop.example' is not an http:// or https:// origin, as a browser sends it in its Origin header." },
        { "Web:CorsOrigins:0=*|Web:CorsOrigins:1=https://shop.example", "Web:CorsOrigins:0: '*' allows every origin, so it is the only entry or absent." },
    };

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task A_refused_setting_stops_the_server_with_one_line_naming_it_and_exit_code_78(string settings, string expected)
    {
        var (exitCode, printed) = await RunAsync(Settings(settings));

        Assert.Equal(ExConfig, exitCode);
        var line = Assert.Single(printed);
        Assert.StartsWith("Configuration error: " + expected, line, StringComparison.Ordinal);
        if (expected == "Failed to convert configuration value")
        {
            Assert.Contains("'Limits:MaxStreamsPerConnection'", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_lines_the_security_doc_shows_are_what_the_server_prints()
    {
        var documented = DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "security.md")))
            .Where(block => block.Language == "text" && block.Body.StartsWith("Configuration error:", StringComparison.Ordinal))
            .Select(block => block.Body.Trim())
            .ToList();
        var key = ApiKeyRing.NewKey();

        var (pastedKey, printedForKey) = await RunAsync(new Dictionary<string, string?>
        {
            [Key + "Name"] = "survey-ingest",
            [Key + "Sha256"] = key,
            [Key + "Scopes:0"] = "submit",
        });
        var (overLimit, printedForLimit) = await RunAsync(Settings("Ingestion:MaxResponsesPerBatch=5000"));

        Assert.Equal((ExConfig, ExConfig), (pastedKey, overLimit));
        Assert.Equal(documented, [.. printedForKey, .. printedForLimit]);
        Assert.DoesNotContain(printedForKey, line => line.Contains(key[..12], StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_line_the_grpc_web_guide_shows_is_what_the_server_prints()
    {
        var documented = DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "grpc-web.md")))
            .Single(block => block.Language == "text" && block.Body.StartsWith("Configuration error:", StringComparison.Ordinal)).Body.Trim();

        var (exitCode, printed) = await RunAsync(Settings("Web:CorsOrigins:0=https://shop.example/"));

        Assert.Equal((ExConfig, documented), (exitCode, Assert.Single(printed)));
    }

    [Fact]
    public async Task Mistakes_in_several_sections_are_each_reported_on_their_own_line()
    {
        var (exitCode, printed) = await RunAsync(Settings($"Ingestion:MaxResponsesPerBatch=0|{Key}Name=k|{Key}Sha256={ApiKeyRing.NewKey()}|{Key}Scopes:0=read"));

        Assert.Equal(ExConfig, exitCode);
        Assert.Equal(2, printed.Count);
        Assert.Contains(printed, line => line.StartsWith("Configuration error: Ingestion:MaxResponsesPerBatch: ", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith($"Configuration error: {Key}Sha256: API key 'k': this is a key, not its hash.", StringComparison.Ordinal));
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Printed)> RunAsync(Dictionary<string, string?> settings)
    {
        var (exitCode, printed) = await ServerProcess.RunUntilExitAsync(fixture.Redis.Configuration, settings, TimeSpan.FromSeconds(60), output);
        // A stack trace would show as "   at Namespace.Type.Method(...)" lines.
        Assert.DoesNotContain(printed, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        return (exitCode, printed);
    }

    private static Dictionary<string, string?> Settings(string assignments) =>
        assignments.Split('|').Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => (string?)pair[1], StringComparer.Ordinal);
}
