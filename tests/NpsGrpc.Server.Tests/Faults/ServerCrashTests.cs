using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>A server process SIGKILLed mid-stream while a second instance on the same Redis keeps running.</summary>
[Collection(FaultsCollection.Name)]
public sealed class ServerCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_server_killed_mid_stream_loses_nothing_when_the_writer_resends_its_unacknowledged_batches_to_another_instance()
    {
        await using var redis = await RedisServer.StartAsync(durable: true);
        await using var doomed = await ServerProcess.StartAsync(redis.Configuration, output: output);
        await using var survivor = await ServerProcess.StartAsync(redis.Configuration, output: output);
        var admin = await redis.AdminAsync();
        var plan = KillMidStream.Plan("server-crash", output);

        var broken = await plan.RunAsync(doomed.Client, doomed.KillAsync, output);

        Assert.True(doomed.HasExited);
        // A connection reset mid-call: the client library reports UNAVAILABLE, or INTERNAL with the transport error inside.
        Assert.Contains(broken.Failure!.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        await broken.AssertAcknowledgedCountedAndAPrefixOfTheBatchesInFlightWholeOrAbsentAsync(plan.Expected, survivor.Client, admin);

        var retry = await PipelinedStream.RunToEndAsync(survivor.Client, broken.Unacknowledged);

        // Only batches that were in flight can come back as duplicates, and only as a prefix: none after a fresh one.
        Assert.All(retry.SkipWhile(ack => ack.Duplicate), ack => Assert.False(ack.Duplicate));
        Assert.True(retry.TakeWhile(ack => ack.Duplicate).Count() <= NpsGrpc.Server.Ingestion.SubmissionPipeline.MaxBatchesInFlight + 1);
        await plan.Expected.AssertExactAsync(survivor.Client, admin);
        Assert.Equal(KillMidStream.BatchCount * KillMidStream.BatchSize, plan.Expected.Total);
    }
}
