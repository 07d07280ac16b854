using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>Redis stalled with DEBUG SLEEP: deadlines hold, nothing is half-applied, and a stream cannot pile up work.</summary>
[Collection(FaultsCollection.Name)]
public sealed class SlowRedisTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_read_with_a_300_ms_deadline_ends_with_DEADLINE_EXCEEDED_while_redis_still_sleeps_and_reads_work_once_it_wakes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ServerProcess.StartAsync(redis.Configuration, output: output);
        var product = UniqueProduct("slow-read");
        await PipelinedStream.RunToEndAsync(server.Client, [Batch(Mix(product, 2, 1, 1), "slow-read-writer", 1)]);

        var awake = await redis.SleepAsync(TimeSpan.FromSeconds(4));
        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
        var waited = clock.Elapsed;
        var stillAsleep = !awake.IsCompleted;
        await awake;
        var after = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        output.WriteLine($"DEADLINE_EXCEEDED after {waited.TotalMilliseconds:0} ms");

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.True(stillAsleep, "The read waited for Redis to wake instead of ending at its deadline.");
        Assert.InRange(waited, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(4, after.Total);
    }

    /// <summary>
    /// Two ways a stall breaks a submission: the client's deadline passes (DEADLINE_EXCEEDED), or Redis outsleeps the
    /// server's command timeout of 5 s (UNAVAILABLE). Either way the scripts already sent run when Redis wakes.
    /// StackExchange.Redis checks for timed-out commands on a heartbeat (about once a second), which a loaded machine
    /// delays: Redis sleeps 10 s, not 7, so it cannot wake and answer before the timeout is noticed (a 7 s sleep was
    /// acknowledged once, with every SDK suite running beside the tests).
    /// </summary>
    [Theory]
    [InlineData(2, 500, StatusCode.DeadlineExceeded)]
    [InlineData(10, 0, StatusCode.Unavailable)]
    public async Task A_batch_broken_by_a_sleeping_redis_is_applied_to_each_product_whole_or_not_at_all_and_its_retry_leaves_exact_tallies(
        int sleepSeconds, int deadlineMilliseconds, StatusCode expectedStatus)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ServerProcess.StartAsync(redis.Configuration, output: output);
        var products = Enumerable.Range(0, 3).Select(i => UniqueProduct($"slow-batch{i}")).ToArray();
        var expected = new ExpectedTallies();
        var batch = Workload.Batches(new Random(20261123), $"slow-batch-{products[0]}", products, count: 1, size: 600, expected).Single();
        var answeredAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        foreach (var response in batch.Responses)
        {
            response.AnsweredAt = Timestamp.FromDateTimeOffset(answeredAt);
        }

        var awake = await redis.SleepAsync(TimeSpan.FromSeconds(sleepSeconds));
        RpcException failure;
        using (var call = server.Client.SubmitResponses(deadline: deadlineMilliseconds > 0 ? DateTime.UtcNow.AddMilliseconds(deadlineMilliseconds) : null))
        {
            await call.RequestStream.WriteAsync(batch);
            failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        }

        await awake;
        // The server sent its scripts long before the deadline or timeout, on its one Redis connection: a read
        // through the same server queues behind them, so once it answers they have run.
        await ExpectedTallies.FromServerAsync(server.Client, products[0], string.Empty);
        var admin = await redis.AdminAsync();
        var applied = new Dictionary<string, bool>();
        foreach (var product in products)
        {
            applied[product] = await WholeOrNothingAsync(admin, expected, product, answeredAt, batch.WriterId);
        }

        output.WriteLine($"{failure.Status}; applied after the deadline: {string.Join(", ", applied.Select(pair => $"{pair.Key}={pair.Value}"))}");

        var retry = (await PipelinedStream.RunToEndAsync(server.Client, [batch])).Single();

        Assert.Equal(expectedStatus, failure.StatusCode);
        Assert.Equal(applied.Values.All(done => done), retry.Duplicate);
        await expected.AssertExactAsync(server.Client, admin);
        foreach (var product in products)
        {
            Assert.True(await WholeOrNothingAsync(admin, expected, product, answeredAt, batch.WriterId), $"{product} is not complete after the retry.");
        }
    }

    [Fact]
    public async Task While_redis_sleeps_a_writer_that_does_not_read_acks_is_held_back_by_flow_control_and_everything_it_sent_is_counted_once_redis_wakes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ServerProcess.StartAsync(redis.Configuration, output: output);
        var products = Enumerable.Range(0, 2).Select(i => UniqueProduct($"pressure{i}")).ToArray();
        var random = new Random(20261124);
        var template = Enumerable.Range(0, 1000).Select(_ => Workload.Response(random, products)).ToList();
        const int MaxBatches = 200;
        var writer = $"pressure-{products[0]}";
        var batches = Enumerable.Range(1, MaxBatches).Select(sequence => Batch(template, writer, sequence)).ToList();
        var message = batches[0].CalculateSize() + 5;

        // The server holds at most MaxBatchesInFlight batches in Redis and one more read and folded while Redis
        // sleeps. Unread, at most Kestrel's stream receive window may follow them (HTTP/2 flow control), and the
        // client may have one more batch partly sent.
        var window = new Http2Limits().InitialStreamWindowSize;
        var bound = NpsGrpc.Server.Ingestion.SubmissionPipeline.MaxBatchesInFlight + 1 + (int)Math.Ceiling(window / (double)message) + 1;

        // Shorter than the server's Redis command timeout (5 s), after which the batch would fail with UNAVAILABLE.
        var awake = await redis.SleepAsync(TimeSpan.FromSeconds(4));
        using var call = server.Client.SubmitResponses();
        var written = 0;
        Task? heldBack = null;
        while (written < MaxBatches)
        {
            var write = call.RequestStream.WriteAsync(batches[written]);
            if (await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(1))) != write)
            {
                heldBack = write;
                break;
            }

            await write;
            written++;
        }

        var stillAsleep = !awake.IsCompleted;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written} batches of {message} bytes written before a write was held back; bound {bound} (stream window {window} bytes)"));
        Assert.NotNull(heldBack);
        Assert.True(stillAsleep, "Redis woke before the writer was held back: the test proves nothing.");
        Assert.InRange(written, 1, bound);

        var reading = ReadAllAcksAsync(call.ResponseStream);
        await awake;
        await heldBack;
        await call.RequestStream.CompleteAsync();
        var acks = await reading;

        var sent = batches.Take(written + 1).ToList();
        Assert.Equal(sent.Select(batch => batch.Sequence), acks.Select(ack => ack.Sequence));
        Assert.All(acks, ack => Assert.Equal((1000, false), (ack.AcceptedCount, ack.Duplicate)));
        var expected = new ExpectedTallies();
        expected.Add(sent);
        await expected.AssertExactAsync(server.Client, await redis.AdminAsync());
    }

    private static async Task<List<SubmitResponsesResponse>> ReadAllAcksAsync(IAsyncStreamReader<SubmitResponsesResponse> acks)
    {
        var all = new List<SubmitResponsesResponse>();
        while (await acks.MoveNext(CancellationToken.None))
        {
            all.Add(acks.Current);
        }

        return all;
    }

    /// <summary>
    /// Checks every tally the batch touches for <paramref name="product"/> (all time, its UTC month and day, each for
    /// the product and each label) and its writer state: true when all hold the batch's counts, false when none was
    /// touched; fails the test for anything in between.
    /// </summary>
    private static async Task<bool> WholeOrNothingAsync(StackExchange.Redis.IDatabase redis, ExpectedTallies batch, string product, DateTimeOffset answeredAt, string writer)
    {
        var month = answeredAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var day = answeredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var states = new List<string>();
        var whole = true;
        var none = true;
        foreach (var segment in batch.Counts.Keys.Where(key => key.Product == product).Select(key => key.Segment))
        {
            foreach (var scope in new[] { "all", $"m:{month}", $"d:{day}" })
            {
                var key = segment.Length == 0
                    ? $"nps:{{{product}}}:{(scope == "all" ? "all" : scope)}"
                    : $"nps:{{{product}}}:{(scope == "all" ? string.Empty : scope + ":")}seg:{segment}";
                var counts = await ExpectedTallies.HashAsync(redis, key);
                whole &= counts.SequenceEqual(batch.Of(product, segment));
                none &= counts.All(count => count == 0);
                states.Add($"{key}=[{string.Join(',', counts)}]");
            }
        }

        var writerState = await redis.KeyExistsAsync($"nps:{{{product}}}:w:{writer}");
        Assert.True((whole && writerState) || (none && !writerState), $"{product} is half-applied (writer state {writerState}): {string.Join("; ", states)}");
        return whole;
    }
}
