using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Redis;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using StackExchange.Redis;
using NpsGrpc.Server.Tests.Support;
using static NpsGrpc.Server.Tests.Support.Responses;
using ResponseOutcome = NpsGrpc.V1.ResponseOutcome;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class ExactlyOnceTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task A_batch_resent_with_the_same_writer_and_sequence_on_a_new_stream_is_counted_once()
    {
        var product = UniqueProduct("resend");
        var batch = Batch(Mix(product, 450, 300, 250), "resend-writer", 1);

        var first = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();
        var retry = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(1000, retry.AcceptedCount);
        var score = await ScoreOf(product);
        Assert.Equal((1000L, 20.0), (score.Total, score.Nps));
    }

    [Fact]
    public async Task A_duplicate_still_reports_the_rejections_of_its_batch()
    {
        var product = UniqueProduct("dup-rejections");
        var batch = Batch([Answer(product, 9), Answer(product, 12)], "dup-rejections-writer", 3);

        var acks = await SubmissionStream.SubmitAllAsync(fixture.Client, batch, batch);

        Assert.True(acks[1].Duplicate);
        Assert.Equal(1, acks[1].AcceptedCount);
        Assert.Equal(1, Assert.Single(acks[1].Rejected).Index);
        Assert.Equal(1, (await ScoreOf(product)).Total);
    }

    [Fact]
    public async Task An_older_sequence_is_a_duplicate_and_gaps_are_allowed()
    {
        var product = UniqueProduct("older");
        const string writer = "older-writer";

        var acks = await SubmissionStream.SubmitAllAsync(
            fixture.Client,
            Batch(Mix(product, 1, 0, 0), writer, 10),
            Batch(Mix(product, 1, 0, 0), writer, 7),
            Batch(Mix(product, 1, 0, 0), writer, 10),
            Batch(Mix(product, 0, 0, 1), writer, 500));

        Assert.Equal([false, true, true, false], acks.Select(ack => ack.Duplicate));
        var score = await ScoreOf(product);
        Assert.Equal((2L, 1L, 1L), (score.Total, score.Promoters, score.Detractors));
    }

    [Fact]
    public async Task Sequences_are_compared_exactly_up_to_the_largest_int64()
    {
        var product = UniqueProduct("int64");
        const string writer = "int64-writer";

        // 2^53 + 1 and 2^53 are the same double; a float comparison would take the second for a duplicate of the first.
        var acks = await SubmissionStream.SubmitAllAsync(
            fixture.Client,
            Batch(Mix(product, 1, 0, 0), writer, 9_007_199_254_740_992),
            Batch(Mix(product, 1, 0, 0), writer, 9_007_199_254_740_993),
            Batch(Mix(product, 1, 0, 0), writer, long.MaxValue),
            Batch(Mix(product, 1, 0, 0), writer, long.MaxValue - 1));

        Assert.Equal([false, false, false, true], acks.Select(ack => ack.Duplicate));
        Assert.Equal(3, (await ScoreOf(product)).Total);
    }

    [Fact]
    public async Task Different_writers_with_the_same_sequence_are_both_counted()
    {
        var product = UniqueProduct("two-writers");

        var acks = await SubmissionStream.SubmitAllAsync(
            fixture.Client,
            Batch(Mix(product, 1, 0, 0), "writer-a", 1),
            Batch(Mix(product, 1, 0, 0), "writer-b", 1));

        Assert.All(acks, ack => Assert.False(ack.Duplicate));
        Assert.Equal(2, (await ScoreOf(product)).Total);
    }

    [Fact]
    public async Task Without_a_writer_id_a_resent_batch_is_counted_again_as_documented_for_at_least_once_delivery()
    {
        var product = UniqueProduct("at-least-once");
        var batch = Batch(Mix(product, 1, 0, 0), sequence: 4);

        var acks = await SubmissionStream.SubmitAllAsync(fixture.Client, batch, batch);

        Assert.All(acks, ack => Assert.Equal((4L, false), (ack.Sequence, ack.Duplicate)));
        Assert.Equal(2, (await ScoreOf(product)).Total);
    }

    [Fact]
    public async Task A_writer_sequence_is_tracked_per_product_so_a_retry_only_completes_the_products_still_missing()
    {
        var applied = UniqueProduct("applied");
        var blocked = UniqueProduct("blocked");
        const string writer = "partial-writer";
        var batch = Batch(
        [
            .. Mix(applied, 2, 1, 0),
            Answer(blocked, 10, ("region", "eu")),
            Answer(blocked, 1),
        ],
            writer,
            1);

        var redis = await fixture.Redis.AdminAsync();
        var poisoned = $"nps:{{{blocked}}}:seg:region=eu";
        var failure = await DeliverWhileATallyIsForeignAsync(batch, poisoned);
        StatusAssertions.ErrorInfo(failure, StatusCode.Internal, ErrorReason.Internal);

        var afterFailure = await ScoreOf(applied);
        var blockedBefore = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = blocked }).ResponseAsync);

        await redis.KeyDeleteAsync(poisoned);
        var retry = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        Assert.Equal(3, afterFailure.Total);
        Assert.Equal(StatusCode.NotFound, blockedBefore.StatusCode);
        Assert.False(retry.Duplicate);
        Assert.Equal(5, retry.AcceptedCount);
        Assert.Equal(3, (await ScoreOf(applied)).Total);
        var blockedScore = await ScoreOf(blocked);
        Assert.Equal((2L, 1L, 1L), (blockedScore.Total, blockedScore.Promoters, blockedScore.Detractors));
        Assert.Equal(1, (await ScoreOf(blocked, "region=eu")).Total);
    }

    [Fact]
    public async Task A_tally_field_holding_no_integer_fails_the_products_script_and_every_tally_it_had_written_is_taken_back()
    {
        var product = UniqueProduct("not-an-integer");
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        // Eleven scores per batch: every tally is read and written whole (HMGET, HSET), the path that must refuse a
        // field HINCRBY would refuse and take back the tallies written before it.
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Enumerable.Range(0, 11).Select(score => Answer(product, score)), "not-an-integer-writer", 1));
        var redis = await fixture.Redis.AdminAsync();
        string[] tallies = [$"nps:{{{product}}}:all", $"nps:{{{product}}}:m:{month}", $"nps:{{{product}}}:d:{day}"];
        foreach (var poisoned in tallies)
        {
            await redis.HashSetAsync(poisoned, "5", "five");
            var before = await Task.WhenAll(tallies.Select(key => redis.HashGetAllAsync(key)));

            var failure = await Assert.ThrowsAsync<RpcException>(() => SubmissionStream.SubmitAllAsync(
                fixture.Client, Batch(Enumerable.Range(0, 11).Select(score => Answer(product, score)), "not-an-integer-writer", 2)));

            StatusAssertions.ErrorInfo(failure, StatusCode.Internal, ErrorReason.Internal);
            var after = await Task.WhenAll(tallies.Select(key => redis.HashGetAllAsync(key)));
            Assert.Equal(before.Select(Sorted), after.Select(Sorted));
            await redis.HashSetAsync(poisoned, "5", "1");
        }

        static string Sorted(HashEntry[] entries) => string.Join(",", entries.OrderBy(entry => (string)entry.Name!, StringComparer.Ordinal).Select(entry => $"{entry.Name}={entry.Value}"));
    }

    [Fact]
    public async Task A_retry_after_a_delivery_that_failed_half_way_says_already_applied_for_the_products_it_had_applied_and_never_restates_their_outcomes()
    {
        var applied = UniqueProduct("applied-respondent");
        var blocked = UniqueProduct("blocked-respondent");
        const string writer = "half-way-writer";
        // Alice's second answer replaces her first: the first delivery of the batch counts it REPLACED for `applied`.
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(applied, 2).By("alice").AnsweredAt("2025-01-01T10:00:00Z")]));
        var batch = Batch(
        [
            Answer(applied, 10).By("alice").AnsweredAt("2025-01-02T10:00:00Z"),
            Answer(applied, 8),
            Answer(blocked, 9, ("region", "eu")),
            Answer(applied, 42),
            Answer(blocked, 0).By("bob"),
        ],
            writer,
            1);

        var redis = await fixture.Redis.AdminAsync();
        var poisoned = $"nps:{{{blocked}}}:seg:region=eu";
        await DeliverWhileATallyIsForeignAsync(batch, poisoned);

        var appliedAfterFailure = await ScoreOf(applied);
        await redis.KeyDeleteAsync(poisoned);
        var retry = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        Assert.Equal((2L, 1L, 1L, 0L), (appliedAfterFailure.Total, appliedAfterFailure.Promoters, appliedAfterFailure.Passives, appliedAfterFailure.Detractors));
        Assert.False(retry.Duplicate);
        Assert.Equal(4, retry.AcceptedCount);
        Assert.Equal(2, retry.AlreadyAppliedCount);
        Assert.Equal(0, retry.ReplacedCount);
        Assert.Equal(0, retry.SupersededCount);
        Assert.Equal(
            [ResponseOutcome.AlreadyApplied, ResponseOutcome.AlreadyApplied, ResponseOutcome.Counted, ResponseOutcome.Rejected, ResponseOutcome.Counted],
            retry.AllOutcomes());
        Assert.Equal([0, 1, 3], retry.OtherOutcomes.Select(other => other.Index));
        var appliedNow = await ScoreOf(applied);
        Assert.Equal((2L, 1L, 1L, 0L), (appliedNow.Total, appliedNow.Promoters, appliedNow.Passives, appliedNow.Detractors));
        var blockedNow = await ScoreOf(blocked);
        Assert.Equal((2L, 1L, 1L), (blockedNow.Total, blockedNow.Promoters, blockedNow.Detractors));

        // Once the writer's sequence is applied everywhere, the batch is a plain duplicate: every valid response is
        // already applied, said once by the flag and the count instead of once per response.
        var duplicate = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();
        Assert.True(duplicate.Duplicate);
        Assert.Equal(4, duplicate.AlreadyAppliedCount);
        Assert.Equal([(3, ResponseOutcome.Rejected)], duplicate.OtherOutcomes.Select(other => (other.Index, other.Outcome)));
    }

    [Fact]
    public async Task A_product_is_never_half_applied_when_one_of_its_tallies_cannot_be_written()
    {
        var product = UniqueProduct("all-or-none");
        var redis = await fixture.Redis.AdminAsync();
        var poisoned = $"nps:{{{product}}}:seg:plan=pro";
        await redis.StringSetAsync(poisoned, "not a tally");

        using (var stream = new SubmissionStream(fixture.Client))
        {
            await stream.SendAsync(Batch([Answer(product, 10, ("region", "eu"), ("plan", "pro")), Answer(product, 3)], "half-writer", 1));
            await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        }

        Assert.False(await redis.KeyExistsAsync($"nps:{{{product}}}:all"));
        Assert.False(await redis.KeyExistsAsync($"nps:{{{product}}}:seg:region=eu"));
        Assert.False(await redis.KeyExistsAsync($"nps:{{{product}}}:w:half-writer"));
    }

    [Fact]
    public async Task A_respondent_answer_that_cannot_be_counted_takes_back_the_whole_batch_and_writes_no_respondent_state()
    {
        var product = UniqueProduct("all-or-none-respondent");
        var redis = await fixture.Redis.AdminAsync();
        // Only the respondent's answer moves this tally, and respondent answers are counted after the others.
        await redis.StringSetAsync($"nps:{{{product}}}:seg:plan=pro", "not a tally");

        using (var stream = new SubmissionStream(fixture.Client))
        {
            await stream.SendAsync(Batch(
                [Answer(product, 10, ("region", "eu")), Answer(product, 3), Answer(product, 7, ("plan", "pro")).By("respondent-1")],
                "respondent-half-writer",
                1));
            await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        }

        foreach (var key in new[] { "all", "seg:region=eu", "labels", "r:respondent-1", "w:respondent-half-writer" })
        {
            Assert.False(await redis.KeyExistsAsync($"nps:{{{product}}}:{key}"), key);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_labels_key_that_is_not_a_set_takes_back_every_increment_of_the_batch(bool onlyARespondentHasLabels)
    {
        var product = UniqueProduct(onlyARespondentHasLabels ? "labels-poisoned-respondent" : "labels-poisoned");
        var redis = await fixture.Redis.AdminAsync();
        await redis.StringSetAsync($"nps:{{{product}}}:labels", "not a set");
        var labelled = Answer(product, 7, ("plan", "pro"));

        using (var stream = new SubmissionStream(fixture.Client))
        {
            await stream.SendAsync(Batch(
                [Answer(product, 10), onlyARespondentHasLabels ? labelled.By("respondent-2") : labelled],
                "labels-writer",
                1));
            await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        }

        foreach (var key in new[] { "all", "seg:plan=pro", "r:respondent-2", "w:labels-writer" })
        {
            Assert.False(await redis.KeyExistsAsync($"nps:{{{product}}}:{key}"), key);
        }

        Assert.Equal("not a set", (string?)await redis.StringGetAsync($"nps:{{{product}}}:labels"));
    }

    [Fact]
    public async Task A_batch_that_fails_on_a_counted_product_leaves_every_tally_exactly_as_it_was()
    {
        var product = UniqueProduct("all-or-none-counted");
        var redis = await fixture.Redis.AdminAsync();
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 10, ("region", "eu")), Answer(product, 2)], "counted-writer", 1));
        var tallies = new[] { $"nps:{{{product}}}:all", $"nps:{{{product}}}:seg:region=eu" };
        var before = await Task.WhenAll(tallies.Select(key => redis.HashGetAllAsync(key)));
        await redis.StringSetAsync($"nps:{{{product}}}:seg:plan=pro", "not a tally");

        using (var stream = new SubmissionStream(fixture.Client))
        {
            // Score 10 again and a score not yet counted (5): an existing field and a new one, both taken back.
            await stream.SendAsync(Batch([Answer(product, 10, ("region", "eu")), Answer(product, 5, ("plan", "pro"))], "counted-writer", 2));
            await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        }

        var after = await Task.WhenAll(tallies.Select(key => redis.HashGetAllAsync(key)));
        for (var i = 0; i < tallies.Length; i++)
        {
            Assert.Equal(
                before[i].OrderBy(e => (string?)e.Name).Select(e => $"{e.Name}={e.Value}"),
                after[i].OrderBy(e => (string?)e.Name).Select(e => $"{e.Name}={e.Value}"));
        }

        var score = await ScoreOf(product);
        Assert.Equal((2L, 1L, 1L), (score.Total, score.Promoters, score.Detractors));
    }

    [Fact]
    public async Task A_batch_sent_behind_one_that_fails_is_not_applied_before_it_so_the_retry_counts_both_once()
    {
        var product = UniqueProduct("behind-failure");
        var redis = await fixture.Redis.AdminAsync();
        var poisoned = $"nps:{{{product}}}:seg:plan=pro";
        await redis.StringSetAsync(poisoned, "not a tally");
        var first = Batch([Answer(product, 10, ("plan", "pro"))], "behind-writer", 1);
        var second = Batch([Answer(product, 3)], "behind-writer", 2);

        // Both sent before any ack: the second may be in Redis while the first fails there.
        using (var stream = new SubmissionStream(fixture.Client))
        {
            await stream.SendAsync(first);
            await stream.SendAsync(second);
            await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
        }

        Assert.False(await redis.KeyExistsAsync($"nps:{{{product}}}:all"));
        await redis.KeyDeleteAsync(poisoned);
        var acks = await SubmissionStream.SubmitAllAsync(fixture.Client, first, second);

        Assert.Equal([false, false], acks.Select(ack => ack.Duplicate));
        var score = await ScoreOf(product);
        Assert.Equal((2L, 1L, 1L), (score.Total, score.Promoters, score.Detractors));
    }

    [Fact]
    public async Task The_store_refuses_a_product_whose_predecessor_batch_of_the_writer_is_not_applied()
    {
        var product = UniqueProduct("predecessor");
        var connection = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await using var closing = connection.ClosingWithoutQuit();
        var retention = new DayRetention(DayRetention.DefaultRetention);
        var store = new RedisScoreStore(connection, Options.Create(new RedisStoreOptions()), retention);
        var committer = new IngestionCommitter(store);
        var batch = BatchFolder.Fold([new SurveyAnswer(product, 9, new Dictionary<string, string>())], new FoldContext(DateTimeOffset.UtcNow, retention));

        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() =>
            committer.ApplyAsync(new WriterStamp("predecessor-writer", 2), batch.Products, [1]));
        Assert.Null(await store.GetDistributionAsync(new ScoreQuery(product, null), CancellationToken.None));

        await committer.ApplyAsync(new WriterStamp("predecessor-writer", 1), batch.Products, [0]);
        await committer.ApplyAsync(new WriterStamp("predecessor-writer", 2), batch.Products, [1]);
        Assert.Equal(2, (await store.GetDistributionAsync(new ScoreQuery(product, null), CancellationToken.None))!.Total);
    }

    [Fact]
    public async Task Writer_state_expires_after_the_configured_idle_time()
    {
        var product = UniqueProduct("expiry");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1, 0, 0), "expiry-writer", 1));

        var ttl = await (await fixture.Redis.AdminAsync()).KeyTimeToLiveAsync($"nps:{{{product}}}:w:expiry-writer");

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
    }

    /// <summary>
    /// Delivers the batch once while a foreign value sits where one of its tallies should be: that product's script
    /// refuses to run, before any write, while the batch's other products are applied. Returns how the stream ended.
    /// </summary>
    private async Task<RpcException> DeliverWhileATallyIsForeignAsync(SubmitResponsesRequest batch, string poisonedKey)
    {
        var redis = await fixture.Redis.AdminAsync();
        await redis.StringSetAsync(poisonedKey, "not a tally");
        using var stream = new SubmissionStream(fixture.Client);
        await stream.SendAsync(batch);
        return await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
    }

    private async Task<Score> ScoreOf(string product, string segment = "") =>
        (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = segment })).Score;
}
