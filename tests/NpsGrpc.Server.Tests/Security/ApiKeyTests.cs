using Grpc.Core;
using Grpc.Health.V1;
using NpsGrpc.Core.Security;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Security;

/// <summary>
/// A server with four API keys: one that may submit, one that may read, one that may do both, and one made
/// before keys had a prefix (<c>openssl rand -hex 32</c>) that may read.
/// </summary>
public sealed class ApiKeyTests : IAsyncLifetime, IDisposable
{
    private const string SubmitKey = "nps_submit_7f3b0c2d9e814a6b8c5d2e1f0a9b8c7d";
    private const string ReadKey = "nps_read_1a2b3c4d5e6f708192a3b4c5d6e7f809";
    private const string BothKey = "nps_both_0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private const string UnprefixedKey = "9c1d0e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6";

    private readonly CapturedLogs _logs = new();
    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
        }.WithApiKeys(
            ("ingest", SubmitKey, ["submit"]),
            ("dashboard", ReadKey, ["read"]),
            ("operator", BothKey, ["submit", "read"]),
            ("legacy", UnprefixedKey, ["read"])), _logs);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    public static TheoryData<string, string?> RefusedCredentials => new()
    {
        { "no key", null },
        { "wrong key", "Bearer nps_guess_00000000000000000000000000000000" },
        { "the key's hash instead of the key", "Bearer " + ApiKeyRing.HashOf(BothKey) },
        { "the key's hash without its prefix", "Bearer " + ApiKeyRing.HashOf(BothKey)["sha256:".Length..] },
        { "a key with a character dropped", "Bearer " + BothKey[..^1] },
        { "empty bearer", "Bearer " },
        { "basic auth", "Basic " + Convert.ToBase64String("operator:secret"u8.ToArray()) },
    };

    [Theory]
    [MemberData(nameof(RefusedCredentials))]
    public async Task A_read_without_a_valid_key_is_UNAUTHENTICATED(string name, string? authorization)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "anything" }, Headers(authorization)).ResponseAsync);

        Assert.True(StatusCode.Unauthenticated == failure.StatusCode, $"{name}: {failure.Status}");
        Assert.Contains("API key", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedCredentials))]
    public async Task A_submission_without_a_valid_key_is_UNAUTHENTICATED_and_counts_nothing(string name, string? authorization)
    {
        var product = UniqueProduct("unauthenticated");
        using var call = _server.Client.SubmitResponses(Headers(authorization));

        var failure = await SubmitExpectingFailureAsync(call, Batch([Answer(product, 9)], "w", 1));

        Assert.True(StatusCode.Unauthenticated == failure.StatusCode, $"{name}: {failure.Status}");
        Assert.Equal(StatusCode.NotFound, (await ReadFailureAsync(product)).StatusCode);
    }

    [Fact]
    public async Task A_read_only_key_that_submits_is_PERMISSION_DENIED_and_counts_nothing()
    {
        var product = UniqueProduct("read-only");
        using var call = _server.Client.SubmitResponses(Headers("Bearer " + ReadKey));

        var failure = await SubmitExpectingFailureAsync(call, Batch([Answer(product, 9)], "w", 1));

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.Equal("The API key 'dashboard' may not call /nps.v1.NpsService/SubmitResponses: it lacks the 'submit' scope.", failure.Status.Detail);
        Assert.Equal(StatusCode.NotFound, (await ReadFailureAsync(product)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(RefusedCredentials))]
    public async Task A_unary_submission_without_a_valid_key_is_UNAUTHENTICATED_and_counts_nothing(string name, string? authorization)
    {
        var product = UniqueProduct("unary-unauthenticated");

        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.SubmitResponseBatchAsync(Batch([Answer(product, 9)], "w", 1), Headers(authorization)).ResponseAsync);

        Assert.True(StatusCode.Unauthenticated == failure.StatusCode, $"{name}: {failure.Status}");
        Assert.Equal(StatusCode.NotFound, (await ReadFailureAsync(product)).StatusCode);
    }

    [Fact]
    public async Task A_unary_submission_takes_the_submit_scope_as_the_stream_does()
    {
        var product = UniqueProduct("unary-scopes");

        var denied = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.SubmitResponseBatchAsync(Batch([Answer(product, 3)], "w", 1), Headers("Bearer " + ReadKey)).ResponseAsync);
        var counted = await _server.Client.SubmitResponseBatchAsync(Batch([Answer(product, 9)], "w", 2), Headers("Bearer " + SubmitKey));
        var viaHeader = await _server.Client.SubmitResponseBatchAsync(Batch([Answer(product, 10)], "w", 3), new Metadata { { "x-api-key", BothKey } });

        var info = StatusAssertions.ErrorInfo(denied, StatusCode.PermissionDenied, ErrorReason.ApiKeyScopeMissing);
        Assert.Equal(("dashboard", "submit"), (info.Metadata["apiKey"], info.Metadata["requiredScope"]));
        Assert.Equal("The API key 'dashboard' may not call /nps.v1.NpsService/SubmitResponseBatch: it lacks the 'submit' scope.", denied.Status.Detail);
        Assert.Equal((1, 1), (counted.AcceptedCount, viaHeader.AcceptedCount));
        var score = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Headers("Bearer " + ReadKey))).Score;
        Assert.Equal((2L, 2L), (score.Total, score.Promoters));
    }

    [Fact]
    public async Task A_submit_only_key_that_reads_is_PERMISSION_DENIED()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = "anything" }, Headers("Bearer " + SubmitKey)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.Contains("lacks the 'read' scope", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData(SubmitKey, StatusCode.PermissionDenied)]
    [InlineData(ReadKey, StatusCode.OK)]
    [InlineData(BothKey, StatusCode.OK)]
    public async Task Watching_a_score_is_a_read_answered_only_to_a_key_with_the_read_scope(string? key, StatusCode expected)
    {
        await using var watcher = ScoreWatcher.Start(_server.Client, UniqueProduct("watched"), Headers(key is null ? null : "Bearer " + key));

        if (expected == StatusCode.OK)
        {
            Assert.Equal(0, (await watcher.NextAsync()).Score.Total);
        }
        else
        {
            var failure = await watcher.EndedAsync();
            Assert.Equal(expected, failure.StatusCode);
            Assert.Empty(watcher.Received);
        }
    }

    [Theory]
    [InlineData(SubmitKey, StatusCode.PermissionDenied)]
    [InlineData(ReadKey, StatusCode.NotFound)]
    public async Task Key_terms_are_a_read_answered_only_to_a_key_with_the_read_scope(string key, StatusCode expected)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = "never-counted" }, Headers("Bearer " + key)).ResponseAsync);

        Assert.Equal(expected, failure.StatusCode);
    }

    [Fact]
    public async Task A_submit_key_submits_and_a_read_key_reads_what_was_counted_with_either_header()
    {
        var product = UniqueProduct("authorised");
        using (var call = _server.Client.SubmitResponses(new Metadata { { "x-api-key", SubmitKey } }))
        {
            await call.RequestStream.WriteAsync(Batch(Mix(product, 2, 1, 1), "w", 1));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(4, call.ResponseStream.Current.AcceptedCount);
            await call.RequestStream.CompleteAsync();
        }

        var score = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Headers("Bearer " + ReadKey))).Score;
        var both = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Headers("bearer " + BothKey))).Score;

        Assert.Equal((4L, 25.0), (score.Total, score.Nps));
        Assert.Equal(score.Total, both.Total);
    }

    [Fact]
    public async Task A_key_without_the_nps_prefix_reads_once_its_hash_is_configured()
    {
        var product = UniqueProduct("legacy");
        using (var call = _server.Client.SubmitResponses(Headers("Bearer " + SubmitKey)))
        {
            await call.RequestStream.WriteAsync(Batch([Answer(product, 10), Answer(product, 0)], "w", 1));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await call.RequestStream.CompleteAsync();
        }

        var score = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Headers("Bearer " + UnprefixedKey))).Score;

        Assert.Equal((2L, 0.0), (score.Total, score.Nps));
    }

    [Fact]
    public async Task Health_answers_without_a_key()
    {
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthProbe.StatusAsync(_server.Channel));
    }

    [Fact]
    public async Task No_key_and_no_key_hash_ever_reaches_the_log()
    {
        await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "p" }, Headers("Bearer " + SubmitKey)).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "p" }, Headers("Bearer " + BothKey + "x")).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "p" }, Headers("Bearer " + ReadKey)).ResponseAsync);

        Assert.NotEmpty(_logs.Lines);
        foreach (var secret in new[] { SubmitKey, ReadKey, BothKey, ApiKeyRing.HashOf(SubmitKey)["sha256:".Length..], ApiKeyRing.HashOf(ReadKey)["sha256:".Length..] })
        {
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase) || line.Contains(secret[..16], StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task A_refused_key_says_in_its_ErrorInfo_whether_it_was_missing_unknown_or_lacking_a_scope_and_the_refusal_is_logged_at_debug_only()
    {
        var before = _logs.Lines.Count;
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "p" }, Headers(null)).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "p" }, Headers("Bearer nps_guess_00000000000000000000000000000000")).ResponseAsync);
        var narrow = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = "p" }, Headers("Bearer " + SubmitKey)).ResponseAsync);

        StatusAssertions.ErrorInfo(missing, StatusCode.Unauthenticated, ErrorReason.ApiKeyMissing);
        StatusAssertions.ErrorInfo(unknown, StatusCode.Unauthenticated, ErrorReason.ApiKeyInvalid);
        var info = StatusAssertions.ErrorInfo(narrow, StatusCode.PermissionDenied, ErrorReason.ApiKeyScopeMissing);
        Assert.Equal(("ingest", "read"), (info.Metadata["apiKey"], info.Metadata["requiredScope"]));
        var lines = _logs.Lines.Skip(before).ToList();
        foreach (var refusal in new[] { "UNAUTHENTICATED (ERROR_REASON_API_KEY_MISSING)", "UNAUTHENTICATED (ERROR_REASON_API_KEY_INVALID)", "PERMISSION_DENIED (ERROR_REASON_API_KEY_SCOPE_MISSING)" })
        {
            Assert.Contains(lines, line => line.StartsWith("[Debug]", StringComparison.Ordinal) && line.Contains("refused the call with " + refusal, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, line => line.StartsWith("[Warning]", StringComparison.Ordinal) || line.StartsWith("[Error]", StringComparison.Ordinal));
    }

    private static Metadata Headers(string? authorization) => authorization is null ? [] : new Metadata { { "authorization", authorization } };

    private static async Task<RpcException> SubmitExpectingFailureAsync(
        AsyncDuplexStreamingCall<SubmitResponsesRequest, SubmitResponsesResponse> call, SubmitResponsesRequest request)
    {
        try
        {
            await call.RequestStream.WriteAsync(request);
        }
        catch (RpcException)
        {
            // The server may refuse the call before the request is written.
        }

        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
    }

    private Task<RpcException> ReadFailureAsync(string product) => Assert.ThrowsAsync<RpcException>(() =>
        _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, Headers("Bearer " + BothKey)).ResponseAsync);
}

/// <summary>Configuration mistakes about keys stop the server at startup, saying what is wrong.</summary>
public sealed class ApiKeyConfigurationTests
{
    [Theory]
    [InlineData("the-key-itself", "submit", "Authentication:ApiKeys:0:Sha256: API key 'broken': not a hash")]
    [InlineData("nps_4Gq0ETkvXN3YUCvSJ8Bq0Rk2yfVhFzvWc9hZ9MFwK3A", "submit", "Authentication:ApiKeys:0:Sha256: API key 'broken': this is a key, not its hash")]
    [InlineData("9c1d0e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6", "submit", "Authentication:ApiKeys:0:Sha256: API key 'broken': 64 hex digits without 'sha256:'")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000", "write", "Authentication:ApiKeys:0:Scopes:0: API key 'broken' has an unknown scope 'write'")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000", null, "Authentication:ApiKeys:0:Scopes: API key 'broken' has no scope")]
    public async Task A_malformed_key_stops_the_server_from_starting(string sha256, string? scope, string expected)
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?> { ["Authentication:ApiKeys:0:Name"] = "broken", ["Authentication:ApiKeys:0:Sha256"] = sha256 };
        if (scope is not null)
        {
            settings["Authentication:ApiKeys:0:Scopes:0"] = scope;
        }

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => NpsServerHost.StartAsync(redis.Configuration, settings));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_keys_with_one_name_stop_the_server_naming_the_second()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < 3; i++)
        {
            settings[$"Authentication:ApiKeys:{i}:Name"] = i == 1 ? "other" : "twice";
            settings[$"Authentication:ApiKeys:{i}:Sha256"] = ApiKeyRing.HashOf(ApiKeyRing.NewKey());
            settings[$"Authentication:ApiKeys:{i}:Scopes:0"] = "read";
        }

        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => NpsServerHost.StartAsync(redis.Configuration, settings));

        Assert.Equal(["Authentication:ApiKeys:2:Name: 'twice' is already the name of Authentication:ApiKeys:0; names must be unique."], failure.Failures);
    }

    [Fact]
    public async Task Reflection_can_be_turned_off()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, new Dictionary<string, string?> { ["Server:EnableReflection"] = "false" });
        var reflection = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(server.Channel);

        using var call = reflection.ServerReflectionInfo();
        try
        {
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = string.Empty });
        }
        catch (RpcException)
        {
            // The server may end the call before the request is written.
        }

        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unimplemented, failure.StatusCode);
    }
}
