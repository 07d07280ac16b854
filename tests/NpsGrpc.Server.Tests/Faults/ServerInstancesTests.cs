using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>Several server processes on one Redis, as a deployment behind a load balancer runs them.</summary>
[Collection(FaultsCollection.Name)]
public sealed class ServerInstancesTests(ITestOutputHelper output)
{
    private const int Writers = 12;
    private const int BatchesPerWriter = 20;
    private const int BatchSize = 250;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Twelve_writers_spread_over_several_instances_leave_exact_totals_even_when_batches_are_resent_to_other_instances(int instances)
    {
        await using var redis = await RedisServer.StartAsync();
        var servers = await Task.WhenAll(Enumerable.Range(0, instances).Select(_ => ServerProcess.StartAsync(redis.Configuration, output: output)));
        try
        {
            var seed = Environment.TickCount;
            output.WriteLine($"seed {seed}");
            var random = new Random(seed);
            var products = Enumerable.Range(0, 4).Select(i => UniqueProduct($"instances{i}")).ToArray();
            var expected = new ExpectedTallies();
            var work = Enumerable.Range(0, Writers)
                .Select(w => Workload.Batches(random, $"instances-{w}-{products[0]}", products, BatchesPerWriter, BatchSize, expected))
                .ToList();
            var raced = 0;

            await Task.WhenAll(work.Select(async (batches, w) =>
            {
                var home = servers[w % instances];
                var other = servers[(w + 1) % instances];
                // As a client whose ack is late would: every fifth batch, once all before it are acknowledged, is also
                // sent to another instance, racing the home instance that may be applying it at that very moment.
                var races = new List<Task<IReadOnlyList<SubmitResponsesResponse>>>();
                await PipelinedStream.RunToEndAsync(home.Client, batches, window: 4, afterAck: acked =>
                {
                    if (acked < batches.Count && batches[acked].Sequence % 5 == 0)
                    {
                        races.Add(PipelinedStream.RunToEndAsync(other.Client, [batches[acked]]));
                    }

                    return Task.CompletedTask;
                });
                Interlocked.Add(ref raced, races.Count);
                Assert.All(await Task.WhenAll(races), acks => Assert.Equal(BatchSize, acks.Single().AcceptedCount));

                // Re-sent after everything is acknowledged, a batch is a duplicate on every instance.
                var late = await PipelinedStream.RunToEndAsync(servers[(w + 2) % instances].Client, [.. batches.Where(batch => batch.Sequence % 7 == 0)]);
                Assert.All(late, ack => Assert.True(ack.Duplicate));
            }));
            output.WriteLine($"{raced} raced re-sends");
            Assert.Equal(Writers * (BatchesPerWriter / 5), raced);
            await expected.AssertExactAsync(servers[^1].Client, await redis.AdminAsync());
            Assert.Equal(Writers * BatchesPerWriter * BatchSize, expected.Total);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
