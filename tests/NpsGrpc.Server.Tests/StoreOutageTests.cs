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

        Assert.Equal(StatusCode.Unavailable, submitFailure.StatusCode);
        Assert.Contains("same writer_id and sequence", submitFailure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, readFailure.StatusCode);
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
}
