using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using Xunit.Abstractions;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Cluster;

/// <summary>
/// Each test starts its own Redis Cluster (3 primaries, 3 replicas, append-only files) and a server that waits for
/// one replica before acknowledging, then breaks the shard of a busy product while a retrying client writes to it.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output) : FaultClusterTest(output)
{
    [Fact]
    public async Task A_planned_failover_during_ingestion_keeps_every_acknowledged_response_and_retries_are_not_counted_twice()
    {
        var (busy, quiet) = await TwoProductsOnDifferentShardsAsync();
        var slot = await Cluster.SlotOfAsync(TallyKey(busy.Product));

        var (retries, during) = await IngestWhileAsync(busy, quiet, () => Cluster.FailOverAsync(slot));

        await AssertExactAsync(busy, quiet);
        Output.WriteLine($"failover: {during} batches during it, {retries} retried attempts");
    }

    [Fact]
    public async Task A_primary_killed_during_ingestion_loses_no_acknowledged_response_and_retries_are_not_counted_twice()
    {
        var (busy, quiet) = await TwoProductsOnDifferentShardsAsync();
        var slot = await Cluster.SlotOfAsync(TallyKey(busy.Product));

        var (retries, during) = await IngestWhileAsync(busy, quiet, () => Cluster.KillPrimaryAsync(slot));

        await AssertExactAsync(busy, quiet);
        // Batches went out while the primary was down; whether any attempt failed depends on timing (StackExchange.Redis
        // holds a command for a lost node until the replica takes over, and then the attempt succeeds), so it is not asserted.
        Assert.True(during > 0, "No batch was sent while the fault ran.");
        Output.WriteLine($"kill: {during} batches during it, {retries} retried attempts");
    }

    [Fact]
    public async Task A_busy_products_slot_migrated_key_by_key_during_ingestion_ends_with_exact_totals_on_the_new_owner()
    {
        var (busy, quiet) = await TwoProductsOnDifferentShardsAsync();
        var slot = await Cluster.SlotOfAsync(TallyKey(busy.Product));
        RedisServer? owner = null;

        // Like redis-cli --cluster reshard, the migration does not wait for clients: it moves two keys every 50 ms
        // while the writer keeps sending. Until the slot is whole again, Redis refuses scripts whose keys are split
        // between the nodes (TRYAGAIN); the writer retries them.
        var (retries, _) = await IngestWhileAsync(busy, quiet, async () =>
            owner = await Cluster.MigrateSlotAsync(slot, () => Task.Delay(50)));

        await AssertExactAsync(busy, quiet);
        var (primary, _) = await Cluster.ShardOfAsync(slot);
        Assert.Equal(owner!.Port, primary.Port);
        Output.WriteLine($"migration: {retries} retried attempts");
    }

    [Fact]
    public async Task One_batch_over_products_on_every_shard_is_applied_on_each_shard_and_counted_once()
    {
        var products = Enumerable.Range(0, 60).Select(i => UniqueProduct($"spread{i}")).ToList();
        var shards = new HashSet<int>();
        foreach (var product in products)
        {
            shards.Add((await Cluster.ShardOfAsync(await Cluster.SlotOfAsync(TallyKey(product)))).Primary.Port);
        }

        var writer = new RetryingWriter(() => Server.Client, "spread-writer");
        var responses = products.SelectMany(product => Mix(product, 3, 2, 1)).ToList();
        var ack = await writer.SubmitAsync(responses);
        var resent = await SubmissionStream.SubmitAllAsync(Server.Client, Batch(responses, "spread-writer", 1));

        Assert.Equal(3, shards.Count);
        Assert.Equal(360, ack.AcceptedCount);
        Assert.True(resent.Single().Duplicate);
        var db = await Cluster.AdminAsync();
        foreach (var product in products)
        {
            var score = (await Server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
            Assert.Equal((6L, 3L, 1L), (score.Total, score.Promoters, score.Detractors));
            // Its one detractor is recorded on its own shard, once, though the batch was delivered twice.
            Assert.Equal(3, Assert.Single(await StoredRecords.ReadAsync(db, product)).Score);
        }
    }

    private static string TallyKey(string product) => $"nps:{{{product}}}:all";

    private async Task<(RespondentWorkload Busy, RespondentWorkload Quiet)> TwoProductsOnDifferentShardsAsync()
    {
        var busy = UniqueProduct("busy");
        var busyShard = (await Cluster.ShardOfAsync(await Cluster.SlotOfAsync(TallyKey(busy)))).Primary;
        while (true)
        {
            var quiet = UniqueProduct("quiet");
            if ((await Cluster.ShardOfAsync(await Cluster.SlotOfAsync(TallyKey(quiet)))).Primary != busyShard)
            {
                return (new RespondentWorkload(busy), new RespondentWorkload(quiet));
            }
        }
    }

    /// <summary>
    /// Writes batches (busy and quiet product together) from a retrying client until <paramref name="fault"/> has
    /// run its course and twenty more batches are acknowledged; returns how many attempts were retried, and how many
    /// batches were sent while the fault ran.
    /// </summary>
    private async Task<(int Retries, int During)> IngestWhileAsync(RespondentWorkload busy, RespondentWorkload quiet, Func<Task> fault)
    {
        var writer = new RetryingWriter(() => Server.Client, "fault-writer");
        var batch = 0;
        for (; batch < 20; batch++)
        {
            await writer.SubmitAsync([.. busy.Batch(batch + 1), .. quiet.Batch(batch + 1, anonymous: 10)]);
        }

        var faulting = Task.Run(fault);
        var afterFault = 0;
        var during = 0;
        while (afterFault < 20 && !faulting.IsFaulted)
        {
            batch++;
            during += faulting.IsCompleted ? 0 : 1;
            await writer.SubmitAsync([.. busy.Batch(batch), .. quiet.Batch(batch, anonymous: 10)], TimeSpan.FromSeconds(90));
            if (faulting.IsCompleted)
            {
                afterFault++;
            }
        }

        await faulting;
        Output.WriteLine($"{batch} batches; retried on: {string.Join(" | ", writer.RetriedStatuses.Distinct())}");
        return (writer.Retries, during);
    }

    private async Task AssertExactAsync(params RespondentWorkload[] products)
    {
        foreach (var product in products)
        {
            var score = await ReadWithRetryAsync(product.Product);
            Assert.Equal(product.Histogram(), RespondentWorkload.HistogramOf(score));
            await AssertRecordedExactlyOnceAsync(product);
        }
    }

    /// <summary>
    /// Every acknowledged detractor is recorded once, with one follow-up stream entry: each anonymous one, and the
    /// latest answer of each respondent when it is a detractor's (their earlier answers are on record as replaced).
    /// </summary>
    private async Task AssertRecordedExactlyOnceAsync(RespondentWorkload product)
    {
        var db = await Cluster.AdminAsync();
        var records = await StoredRecords.ReadAsync(db, product.Product);
        Assert.Equal(product.AnonymousDetractors, records.Count(record => record.Respondent is null));
        foreach (var (respondent, latest) in product.LatestAnswers)
        {
            var counted = records.Where(record => record.Respondent == respondent && record.State == "c").ToList();
            Assert.Equal(latest.Score <= 6 ? [(latest.Score, latest.AnsweredAt)] : [], counted.Select(record => (record.Score, record.AnsweredAt)));
        }

        Assert.Equal(records.Count, (await StoredRecords.StreamAsync(db, product.Product)).Count);
        Assert.Equal(records.Count, (await StoredRecords.IndexAsync(db, product.Product)).Count);
        Output.WriteLine($"{product.Product}: {records.Count} records");
    }

    private async Task<Score> ReadWithRetryAsync(string product)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await Server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }
}
