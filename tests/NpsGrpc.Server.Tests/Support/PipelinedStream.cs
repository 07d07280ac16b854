using Grpc.Core;
using NpsGrpc.V1;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>What one SubmitResponses stream achieved: the acknowledgements in order, and how it ended.</summary>
internal sealed record StreamOutcome(IReadOnlyList<SubmitResponsesRequest> Sent, IReadOnlyList<SubmitResponsesResponse> Acks, RpcException? Failure)
{
    /// <summary>The batches sent or still to send whose acknowledgement never came: what a client must re-send.</summary>
    public IReadOnlyList<SubmitResponsesRequest> Unacknowledged => [.. Sent.Skip(Acks.Count)];
}

/// <summary>
/// Drives one SubmitResponses stream the way a pipelining client does: up to <c>window</c> batches written and not
/// yet acknowledged, acks read as they arrive and matched to the batches in order. A failure of the stream (a
/// killed Redis or server) ends it and is returned, not thrown, so the test can re-send what is unacknowledged.
/// </summary>
internal static class PipelinedStream
{
    public static async Task<StreamOutcome> RunAsync(
        NpsService.NpsServiceClient client,
        IReadOnlyList<SubmitResponsesRequest> batches,
        int window = 8,
        Func<int, Task>? afterAck = null)
    {
        var call = client.SubmitResponses();
        using var slots = new SemaphoreSlim(window);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in batches)
                {
                    await slots.WaitAsync(stop.Token);
                    await call.RequestStream.WriteAsync(batch, stop.Token);
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException or IOException)
            {
                // The stream failed; the reading side reports how.
            }
        });

        var acks = new List<SubmitResponsesResponse>();
        RpcException? failure = null;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var ack = call.ResponseStream.Current;
                Assert.True(acks.Count < batches.Count, $"An acknowledgement (sequence {ack.Sequence}) came for no outstanding batch.");
                Assert.Equal(batches[acks.Count].Sequence, ack.Sequence);
                acks.Add(ack);
                slots.Release();
                if (afterAck is not null)
                {
                    await afterAck(acks.Count);
                }
            }
        }
        catch (RpcException e)
        {
            failure = e;
        }
        finally
        {
            await stop.CancelAsync();
            call.Dispose();
            await writing;
        }

        return new StreamOutcome(batches, acks, failure);
    }

    /// <summary>Sends every batch on a fresh stream and asserts that each is acknowledged and the stream ends cleanly.</summary>
    public static async Task<IReadOnlyList<SubmitResponsesResponse>> RunToEndAsync(
        NpsService.NpsServiceClient client, IReadOnlyList<SubmitResponsesRequest> batches, int window = 8, Func<int, Task>? afterAck = null)
    {
        var outcome = await RunAsync(client, batches, window, afterAck);
        Assert.Null(outcome.Failure);
        Assert.Equal(batches.Count, outcome.Acks.Count);
        return outcome.Acks;
    }
}

/// <summary>What a broken stream may have left in the store.</summary>
internal static class StreamOutcomeAssertions
{
    /// <summary>
    /// Asserts, through the server and in Redis, that every product holds exactly what the acknowledged batches put
    /// in, plus its whole share of some of the first unacknowledged batches, in order: the server has at most
    /// MaxBatchesInFlight batches of a stream in Redis, and a later batch never applies to a product before an
    /// earlier one, so what was counted without its acknowledgement reaching the client is a prefix of the batches
    /// in flight, each product of each all together (every label too) or not at all.
    /// </summary>
    public static async Task AssertAcknowledgedCountedAndAPrefixOfTheBatchesInFlightWholeOrAbsentAsync(
        this StreamOutcome outcome, ExpectedTallies all, NpsService.NpsServiceClient client, IDatabase redis)
    {
        var acknowledged = new ExpectedTallies();
        acknowledged.Add(outcome.Sent.Take(outcome.Acks.Count));
        // prefixes[k]: the first k unacknowledged batches together.
        var prefixes = new List<ExpectedTallies> { new() };
        foreach (var batch in outcome.Sent.Skip(outcome.Acks.Count).Take(NpsGrpc.Server.Ingestion.SubmissionPipeline.MaxBatchesInFlight + 1))
        {
            var prefix = new ExpectedTallies();
            prefix.Add(prefixes[^1]);
            prefix.Add([batch]);
            prefixes.Add(prefix);
        }

        var problems = new List<string>();
        foreach (var product in all.Counts.Keys.Select(key => key.Product).Distinct())
        {
            foreach (var source in new[] { "GetScore", "Redis" })
            {
                var matching = Enumerable.Range(0, prefixes.Count).ToHashSet();
                var seen = new List<string>();
                foreach (var segment in all.Counts.Keys.Where(key => key.Product == product).Select(key => key.Segment))
                {
                    var counts = source == "GetScore"
                        ? await ExpectedTallies.FromServerAsync(client, product, segment)
                        : await ExpectedTallies.InRedisAsync(redis, product, segment);
                    var extra = counts.Zip(acknowledged.Of(product, segment), (actual, acked) => actual - acked).ToArray();
                    matching.RemoveWhere(k => !extra.SequenceEqual(prefixes[k].Of(product, segment)));
                    seen.Add($"{segment}: [{string.Join(',', counts)}] less acknowledged [{string.Join(',', acknowledged.Of(product, segment))}]");
                }

                if (matching.Count == 0)
                {
                    problems.Add($"{source} {product} holds neither the acknowledged batches alone nor with a whole prefix of the batches in flight: {string.Join("; ", seen)}");
                }
            }
        }

        Assert.Empty(problems);
    }
}
