extern alias sdk;

using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;
using NpsWriter = sdk::NpsGrpc.Client.NpsWriter;
using NpsWriterOptions = sdk::NpsGrpc.Client.NpsWriterOptions;
using SdkClient = sdk::NpsGrpc.V1.NpsService.NpsServiceClient;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>The C# SDK's NpsWriter on one channel to two server processes, one of which is SIGKILLed under it.</summary>
[Collection(FaultsCollection.Name)]
public sealed class SdkFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_sdk_writer_on_a_channel_to_two_instances_fails_over_when_one_is_killed_and_the_totals_are_exact()
    {
        await using var redis = await RedisServer.StartAsync(durable: true);
        await using var first = await ServerProcess.StartAsync(redis.Configuration, output: output);
        await using var second = await ServerProcess.StartAsync(redis.Configuration, output: output);
        var products = Enumerable.Range(0, 3).Select(i => UniqueProduct($"sdk-failover{i}")).ToArray();
        var expected = new ExpectedTallies();
        var random = new Random(20261125);

        // pick_first over both addresses: the channel uses the first instance while it lives, then the second.
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ =>
            [new BalancerAddress(first.Address.Host, first.Address.Port), new BalancerAddress(second.Address.Host, second.Address.Port)]));
        using var channel = GrpcChannel.ForAddress("static:///nps", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } },
        });
        var writer = new NpsWriter(new SdkClient(channel), new NpsWriterOptions { MaxBatchSize = 250, MaxInFlightBatches = 8, InitialSequence = 1 });
        var killedAt = -1L;
        for (var i = 0; i < 30_000; i++)
        {
            var response = Workload.Response(random, products);
            expected.Add(response);
            await writer.AddAsync(response.ProductId, response.Score, response.Segments);
            if (killedAt < 0 && writer.AcknowledgedBatches >= 20)
            {
                killedAt = writer.AcknowledgedBatches;
                await first.KillAsync();
            }
        }

        await writer.DisposeAsync();
        output.WriteLine($"killed after {killedAt} acks; {writer.AcknowledgedBatches} acknowledged, {writer.Reconnects} reconnects, {writer.ResentBatches} re-sent, {writer.DuplicateBatches} duplicates");

        Assert.True(killedAt > 0, "The writer never got 20 batches acknowledged before the end.");
        Assert.True(first.HasExited);
        Assert.InRange(writer.Reconnects, 1, 100);
        Assert.Equal(expected.Total, writer.AcceptedCount);
        await expected.AssertExactAsync(second.Client, await redis.AdminAsync());
    }
}
