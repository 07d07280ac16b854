using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>
/// One writer's traffic, 40 batches of 500 random responses over three products, sent with eight batches in flight
/// while something is killed as a random acknowledgement (the 3rd to the 19th) is read: later batches are being
/// applied, written or not sent yet. The seed is printed so a failure can be replayed.
/// </summary>
internal sealed class KillMidStream
{
    public const int BatchCount = 40;
    public const int BatchSize = 500;

    private KillMidStream(ExpectedTallies expected, List<SubmitResponsesRequest> batches, int killAfter)
    {
        Expected = expected;
        Batches = batches;
        KillAfter = killAfter;
    }

    /// <summary>What every batch together must leave in the tallies.</summary>
    public ExpectedTallies Expected { get; }

    public IReadOnlyList<SubmitResponsesRequest> Batches { get; }

    /// <summary>The acknowledgement on whose arrival the kill happens.</summary>
    public int KillAfter { get; }

    public static KillMidStream Plan(string name, ITestOutputHelper output)
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var products = Enumerable.Range(0, 3).Select(i => UniqueProduct($"{name}{i}")).ToArray();
        var expected = new ExpectedTallies();
        var batches = Workload.Batches(random, $"{name}-{products[0]}", products, BatchCount, BatchSize, expected);
        return new KillMidStream(expected, batches, random.Next(3, 20));
    }

    /// <summary>Streams every batch to <paramref name="client"/> and runs <paramref name="kill"/> at the planned acknowledgement.</summary>
    public async Task<StreamOutcome> RunAsync(NpsService.NpsServiceClient client, Func<Task> kill, ITestOutputHelper output)
    {
        var outcome = await PipelinedStream.RunAsync(client, Batches, window: 8, afterAck: async acked =>
        {
            if (acked == KillAfter)
            {
                await kill();
            }
        });
        output.WriteLine($"killed on ack {KillAfter}; {outcome.Acks.Count} acknowledged, {outcome.Unacknowledged.Count} not; {outcome.Failure?.Status}");
        Assert.NotNull(outcome.Failure);
        Assert.InRange(outcome.Acks.Count, KillAfter, Batches.Count - 1);
        return outcome;
    }
}
