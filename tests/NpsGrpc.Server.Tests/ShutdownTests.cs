using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_batch_in_flight_at_shutdown_is_applied_and_acknowledged_before_the_stream_ends_with_UNAVAILABLE()
    {
        await using var redis = await RedisServer.StartAsync();
        var server = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var product = UniqueProduct("shutdown");
        var admin = await redis.AdminAsync();

        using var stream = new SubmissionStream(server.Client);
        Assert.Equal(1, (await stream.SubmitAsync(Batch(Mix(product, 1, 0, 0), "shutdown-writer", 1))).AcceptedCount);

        // Redis stalls for a second, so the next batch is still being applied when shutdown begins.
        var stall = admin.ExecuteAsync("DEBUG", "SLEEP", "1");
        await Task.Delay(100);
        await stream.SendAsync(Batch(Mix(product, 0, 0, 5), "shutdown-writer", 2));
        await Task.Delay(300);
        var stopping = server.StopAsync();

        var inFlight = await stream.ReadAckAsync();
        var end = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        await stopping;
        await stall;
        await server.DisposeAsync();

        Assert.Equal((2L, 5), (inFlight.Sequence, inFlight.AcceptedCount));
        StatusAssertions.ErrorInfo(end, StatusCode.Unavailable, ErrorReason.ShuttingDown);
        Assert.Contains("shutting down", end.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(5, (long)await admin.HashGetAsync($"nps:{{{product}}}:all", "3"));
    }
}
