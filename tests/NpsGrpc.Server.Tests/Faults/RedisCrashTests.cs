using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>
/// Redis SIGKILLed while a writer has several batches in flight, then restarted on the same data directory (AOF,
/// fsync on every write). StoreOutageTests covers a kill between two batches; this one kills under load.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class RedisCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Redis_killed_mid_stream_keeps_every_acknowledged_response_and_a_retry_with_the_same_sequences_ends_with_exact_tallies()
    {
        await using var redis = await RedisServer.StartAsync(durable: true);
        await using var server = await ServerProcess.StartAsync(redis.Configuration, output: output);
        var plan = KillMidStream.Plan("redis-crash", output);

        var broken = await plan.RunAsync(server.Client, redis.KillAsync, output);
        await HealthProbe.WaitForAsync(server.Channel, ServingStatus.NotServing, TimeSpan.FromSeconds(10));
        await redis.RestartAsync();
        await HealthProbe.WaitForAsync(server.Channel, ServingStatus.Serving, TimeSpan.FromSeconds(30));
        var admin = await redis.AdminAsync();

        Assert.Equal(StatusCode.Unavailable, broken.Failure!.StatusCode);
        Assert.All(broken.Acks, ack => Assert.Equal((KillMidStream.BatchSize, false), (ack.AcceptedCount, ack.Duplicate)));
        await broken.AssertAcknowledgedCountedAndAPrefixOfTheBatchesInFlightWholeOrAbsentAsync(plan.Expected, server.Client, admin);

        var retry = await PipelinedStream.RunToEndAsync(server.Client, broken.Unacknowledged);

        // Only the batch in flight at the kill may have been applied already; every later one is new.
        // Only batches that were in flight can come back as duplicates, and only as a prefix: none after a fresh one.
        Assert.All(retry.SkipWhile(ack => ack.Duplicate), ack => Assert.False(ack.Duplicate));
        Assert.True(retry.TakeWhile(ack => ack.Duplicate).Count() <= NpsGrpc.Server.Ingestion.SubmissionPipeline.MaxBatchesInFlight + 1);
        await plan.Expected.AssertExactAsync(server.Client, admin);
        Assert.Equal(KillMidStream.BatchCount * KillMidStream.BatchSize, plan.Expected.Total);
    }
}
