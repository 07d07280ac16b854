using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

public sealed class FollowUpShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stream_ends_with_UNAVAILABLE_SHUTTING_DOWN_at_shutdown_and_the_worker_gets_its_deliveries_back_from_another_instance()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var stopping = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var product = UniqueProduct("fu-shutdown");
        await using var worker = FollowUpWorker.Start(stopping.Client, "care", "w1", product);
        await worker.WaitUntilOpenAsync();
        var ids = await FollowUpRecords.AddAsync(await redis.AdminAsync(), product, DateTimeOffset.UtcNow, [1, 2]);
        var held = await worker.TakeAsync(2);

        await stopping.StopAsync();
        var end = await worker.EndedAsync();
        await stopping.DisposeAsync();
        await using var again = FollowUpWorker.Start(survivor.Client, "care", "w1", product);
        var back = await again.TakeAsync(2);

        StatusAssertions.ErrorInfo(end, StatusCode.Unavailable, ErrorReason.ShuttingDown);
        Assert.Contains("same consumer name", end.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ids, held.Select(delivery => delivery.Record.RecordId));
        Assert.Equal(held.Select(delivery => delivery.AckId), back.Select(delivery => delivery.AckId));
    }
}
