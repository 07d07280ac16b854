using Grpc.Core;
using Grpc.Health.V1;
using NpsGrpc.V1;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NpsGrpc.Server.Tests;

/// <summary>Each test owns its redis-server and server, because it breaks them.</summary>
public sealed class StoreOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_redis_gives_UNAVAILABLE_and_NOT_SERVING_then_the_server_recovers_and_a_retry_counts_exactly_once()
    {
        await using var redis = await RedisServer.StartAsync(durable: true);
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var product = UniqueProduct("outage");
        const string writer = "outage-writer";
        var before = Batch(Mix(product, 450, 300, 250), writer, 1);
        var during = Batch(Mix(product, 50, 30, 20), writer, 2);
        Assert.Equal(ServingStatus.Serving, await HealthProbe.StatusAsync(server.Channel));
        Assert.Equal(ServingStatus.Serving, await HealthProbe.StatusAsync(server.Channel, "nps.v1.NpsService"));

        using var stream = new SubmissionStream(server.Client);
        Assert.Equal(1000, (await stream.SubmitAsync(before)).AcceptedCount);
        await redis.KillAsync();
        await stream.SendAsync(during);
        var submitFailure = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        var readFailure = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);
        var healthWhileDown = await HealthProbe.StatusAsync(server.Channel);

        await redis.RestartAsync();
        await HealthProbe.WaitForAsync(server.Channel, ServingStatus.Serving, TimeSpan.FromSeconds(30));
        var acks = await SubmissionStream.SubmitAllAsync(server.Client, during, before);

        StatusAssertions.ErrorInfo(submitFailure, StatusCode.Unavailable, ErrorReason.StoreUnavailable);
        Assert.Contains("same writer_id and sequence", submitFailure.Status.Detail, StringComparison.Ordinal);
        StatusAssertions.ErrorInfo(readFailure, StatusCode.Unavailable, ErrorReason.StoreUnavailable);
        Assert.Equal(ServingStatus.NotServing, healthWhileDown);
        Assert.Equal([false, true], acks.Select(ack => ack.Duplicate));
        var score = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((1100L, 500L, 330L, 270L), (score.Total, score.Promoters, score.Passives, score.Detractors));
    }

    [Fact]
    public async Task A_server_started_while_redis_is_down_reports_NOT_SERVING_and_serves_once_redis_comes_up()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var product = UniqueProduct("late-redis");

        var healthWhileDown = await HealthProbe.StatusAsync(server.Channel);
        var failure = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);
        await redis.RestartAsync();
        await HealthProbe.WaitForAsync(server.Channel, ServingStatus.Serving, TimeSpan.FromSeconds(30));
        var ack = (await SubmissionStream.SubmitAllAsync(server.Client, Batch(Mix(product, 1, 0, 0), "late-writer", 1))).Single();

        Assert.Equal(ServingStatus.NotServing, healthWhileDown);
        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal(1, ack.AcceptedCount);
    }

    [Fact]
    public async Task Malformed_requests_are_logged_at_debug_and_no_higher_while_an_outage_logs_a_warning()
    {
        await using var redis = await RedisServer.StartAsync();
        using var logs = new CapturedLogs();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" }, logs);
        var product = UniqueProduct("logged");
        await SubmissionStream.SubmitAllAsync(server.Client, Batch([Answer(product, 9)]));
        var before = logs.Lines.Count;

        // One of each client mistake: bad fields on a read and on a stream, an unknown product, bytes that are not
        // a request, a message over the size limit.
        await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = "a b" }).ResponseAsync);
        using (var stream = new SubmissionStream(server.Client))
        {
            await stream.SendAsync(Batch([], "bad writer", 1));
            await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        }

        await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product + "-none" }).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => server.Channel.CreateCallInvoker().AsyncUnaryCall(RawGetScore, null, new CallOptions(), [0x0A, 0x05, 0x61]).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = new string('x', 5 * 1024 * 1024) }).ResponseAsync);
        var refusals = logs.Lines.Skip(before).ToList();
        await redis.KillAsync();
        var outage = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }).ResponseAsync);
        var afterOutage = logs.Lines.Skip(before + refusals.Count).ToList();

        foreach (var refusal in new[] { "INVALID_ARGUMENT (ERROR_REASON_INVALID_FIELDS)", "NOT_FOUND (ERROR_REASON_PRODUCT_NOT_FOUND)", "INVALID_ARGUMENT (ERROR_REASON_MALFORMED_MESSAGE)", "RESOURCE_EXHAUSTED (ERROR_REASON_MESSAGE_TOO_LARGE)" })
        {
            Assert.Contains(refusals, line => line.StartsWith("[Debug]", StringComparison.Ordinal) && line.Contains("refused the call with " + refusal, StringComparison.Ordinal));
        }

        Assert.Equal(2, refusals.Count(line => line.Contains("refused the call with INVALID_ARGUMENT (ERROR_REASON_INVALID_FIELDS)", StringComparison.Ordinal)));
        Assert.DoesNotContain(refusals, line => line.StartsWith("[Warning]", StringComparison.Ordinal) || line.StartsWith("[Error]", StringComparison.Ordinal) || line.StartsWith("[Critical]", StringComparison.Ordinal));
        StatusAssertions.ErrorInfo(outage, StatusCode.Unavailable, ErrorReason.StoreUnavailable);
        Assert.Contains(afterOutage, line => line.StartsWith("[Warning]", StringComparison.Ordinal) && line.Contains("failed because Redis is unavailable", StringComparison.Ordinal));
    }

    private static readonly Method<byte[], byte[]> RawGetScore = new(
        MethodType.Unary, "nps.v1.NpsService", "GetScore", Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));
}
