using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using StackExchange.Redis;
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

    [Fact]
    public async Task A_stopped_server_has_closed_its_redis_connections_before_its_services_are_disposed()
    {
        await using var redis = await RedisServer.StartAsync();
        var admin = await redis.AdminAsync();
        var before = await ConnectionIdsAsync(admin);
        var server = await NpsServerHost.StartAsync(redis.Configuration, logs: new TestOutputLoggerProvider(output));
        var multiplexer = server.Services.GetRequiredService<IConnectionMultiplexer>();
        Assert.NotEmpty((await ConnectionIdsAsync(admin)).Except(before));

        await server.StopAsync();

        // Closed at stop, without the QUIT whose race throws out of StackExchange.Redis's dispose (RedisConnectionCloser).
        Assert.False(multiplexer.IsConnected);
        for (var attempt = 0; (await ConnectionIdsAsync(admin)).Except(before).Any(); attempt++)
        {
            Assert.True(attempt < 100, "Redis still lists the stopped server's connections after 5 s.");
            await Task.Delay(50);
        }

        await server.DisposeAsync();
    }

    private static async Task<List<string>> ConnectionIdsAsync(IDatabase admin)
    {
        var clients = (string)(await admin.ExecuteAsync("CLIENT", "LIST"))!;
        return [.. clients.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])];
    }
}
