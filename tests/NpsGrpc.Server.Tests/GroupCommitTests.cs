using System.Globalization;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Redis;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using ResponseOutcome = NpsGrpc.V1.ResponseOutcome;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Group commit: the shares of many batches for one product applied by one script, each share all or nothing and at
/// most once per writer sequence, and batches of every stream of an instance gathered while Redis is busy.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class GroupCommitTests(ScoringServerFixture fixture)
{
    private static readonly DayRetention Retention = new(DayRetention.DefaultRetention);
    private static readonly string[] ScriptCommands = ["cmdstat_eval", "cmdstat_evalsha"];

    [Fact]
    public async Task One_flush_applies_the_shares_it_may_and_takes_out_the_duplicate_and_the_overtaken_one_without_moving_their_tallies()
    {
        var product = UniqueProduct("flush-verdicts");
        var connection = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await using var closing = connection.ClosingWithoutQuit();
        var store = new RedisScoreStore(connection, Options.Create(new RedisStoreOptions()), Retention);
        Assert.Equal(ShareVerdict.Applied, Assert.Single(await store.ApplySharesAsync(product, [Share(product, "a", 1, 10)], CancellationToken.None)).Verdict);

        var outcomes = await store.ApplySharesAsync(
            product,
            [
                Share(product, "a", 1, 10),                    // applied before: a duplicate
                Share(product, "b", 1, 9),
                Share(product, "c", 2, 3, predecessor: 1),     // c's batch 1 never applied
                Share(product, "a", 2, 8, predecessor: 1),
                Share(product, "a", 3, 7, predecessor: 2),     // behind a's batch 2 of the same flush
                Share(product, null, 0, 2),                    // no writer: at-least-once
                Share(product, "c", 3, 1, predecessor: 2),     // behind the refused one, so refused too
            ],
            CancellationToken.None);

        Assert.Equal(
            [ShareVerdict.AlreadyApplied, ShareVerdict.Applied, ShareVerdict.PredecessorNotApplied, ShareVerdict.Applied, ShareVerdict.Applied, ShareVerdict.Applied, ShareVerdict.PredecessorNotApplied],
            outcomes.Select(outcome => outcome.Verdict));
        var all = (await store.GetDistributionAsync(new ScoreQuery(product, null), CancellationToken.None))!;
        Assert.Equal([0L, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1], Enumerable.Range(0, 11).Select(score => all[score]));
        var db = connection.GetDatabase();
        var layout = new RedisKeyLayout("nps");
        Assert.Equal("3", (string?)await db.StringGetAsync(layout.Writer(product, "a")));
        Assert.Equal("1", (string?)await db.StringGetAsync(layout.Writer(product, "b")));
        Assert.False(await db.KeyExistsAsync(layout.Writer(product, "c")));

        // The refused writer's retry in order is applied, and the whole flush again is a duplicate throughout.
        Assert.Equal(
            [ShareVerdict.Applied, ShareVerdict.Applied, ShareVerdict.Applied],
            (await store.ApplySharesAsync(product, [Share(product, "c", 1, 0), Share(product, "c", 2, 3, predecessor: 1), Share(product, "c", 3, 1, predecessor: 2)], CancellationToken.None)).Select(outcome => outcome.Verdict));
        Assert.All(
            await store.ApplySharesAsync(product, [Share(product, "a", 3, 7), Share(product, "b", 1, 9), Share(product, "c", 3, 1)], CancellationToken.None),
            outcome => Assert.Equal(ShareVerdict.AlreadyApplied, outcome.Verdict));
        Assert.Equal(8, (await store.GetDistributionAsync(new ScoreQuery(product, null), CancellationToken.None))!.Total);
    }

    [Fact]
    public async Task Respondent_answers_of_several_shares_in_one_flush_are_reported_to_the_share_that_carried_each()
    {
        var product = UniqueProduct("flush-respondents");
        var connection = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await using var closing = connection.ClosingWithoutQuit();
        var store = new RedisScoreStore(connection, Options.Create(new RedisStoreOptions()), Retention);
        var earlier = DateTimeOffset.UtcNow.AddDays(-2);
        await store.ApplySharesAsync(product, [Share(product, "seed", 1, (3, "ana", earlier))], CancellationToken.None);

        var outcomes = await store.ApplySharesAsync(
            product,
            [
                Share(product, "x", 1, (10, "bob", earlier), (9, null, earlier), (10, "ana", earlier.AddDays(1))),
                Share(product, "y", 1, (2, "cy", earlier)),
                Share(product, "z", 1, (9, "dee", earlier)),
            ],
            CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.Equal(ShareVerdict.Applied, outcome.Verdict));
        Assert.Equal(Core.Ingestion.ResponseOutcome.Counted, outcomes[0].RespondentOutcomes![0]);
        Assert.Equal(Core.Ingestion.ResponseOutcome.Replaced, outcomes[0].RespondentOutcomes![2]);
        Assert.Equal(Core.Ingestion.ResponseOutcome.Counted, outcomes[1].RespondentOutcomes![0]);
        Assert.Equal(Core.Ingestion.ResponseOutcome.Counted, outcomes[2].RespondentOutcomes![0]);
        var all = (await store.GetDistributionAsync(new ScoreQuery(product, null), CancellationToken.None))!;
        Assert.Equal((5L, 0L, 1L), (all.Total, all[3], all[2]));
    }

    [Fact]
    public async Task A_respondent_in_two_shares_of_one_flush_is_refused_before_anything_is_sent()
    {
        var product = UniqueProduct("flush-twice");
        var connection = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await using var closing = connection.ClosingWithoutQuit();
        var store = new RedisScoreStore(connection, Options.Create(new RedisStoreOptions()), Retention);
        var at = DateTimeOffset.UtcNow.AddHours(-1);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.ApplySharesAsync(product, [Share(product, "x", 1, (10, "ana", at)), Share(product, "y", 1, (3, "ana", at))], CancellationToken.None));
        Assert.Null(await store.GetDistributionAsync(new ScoreQuery(product, null), CancellationToken.None));
    }

    [Fact]
    public async Task Sixteen_streams_batches_for_one_product_gathered_while_redis_is_busy_are_applied_by_two_scripts_and_their_resending_by_two_more()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration);
        var product = UniqueProduct("gathered");
        await SubmissionStream.SubmitAllAsync(server.Client, Batch(Mix(UniqueProduct("warm-up"), 1, 0, 0), "warm-up", 1));
        var batches = Enumerable.Range(0, 16).Select(i => Batch(Mix(product, 10 + i, 5, 3), $"gathering-{i}", 1)).ToList();

        var first = await SubmitWhileRedisSleepsAsync(redis, server, batches);
        var again = await SubmitWhileRedisSleepsAsync(redis, server, batches);

        Assert.All(first.Acks, ack => Assert.False(ack.Duplicate));
        Assert.All(again.Acks, ack => Assert.True(ack.Duplicate));
        Assert.Equal(batches.Select(batch => batch.Responses.Count), first.Acks.Select(ack => ack.AcceptedCount));
        // The first share reached an idle lane and went to the sleeping Redis alone; the fifteen others gathered behind it.
        Assert.Equal(2, first.Scripts);
        Assert.Equal(2, again.Scripts);
        var score = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((16L * 10) + 120, score.Promoters);
        Assert.Equal(16L * 5, score.Passives);
        Assert.Equal(16L * 3, score.Detractors);
    }

    [Fact]
    public async Task Streams_whose_batches_gather_in_one_flush_each_get_their_own_respondent_outcomes_and_a_repeated_respondent_waits_for_the_next()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await NpsServerHost.StartAsync(redis.Configuration);
        var product = UniqueProduct("gathered-respondents");
        var day = DateTime.UtcNow.Date.AddDays(-3);
        await SubmissionStream.SubmitAllAsync(server.Client, Batch([Answer(product, 2).By("ana").AnsweredAt(day.ToString("O"))], "seed", 1));
        List<SubmitResponsesRequest> batches =
        [
            Batch([Answer(product, 9).By("warm").AnsweredAt(day.ToString("O"))], "w0", 1),
            Batch([Answer(product, 10).By("ana").AnsweredAt(day.AddHours(1).ToString("O"))], "w1", 1),
            Batch([Answer(product, 3).By("bob").AnsweredAt(day.ToString("O")), Answer(product, 7)], "w2", 1),
            Batch([Answer(product, 6).By("ana").AnsweredAt(day.AddHours(2).ToString("O"))], "w3", 1),
            Batch([Answer(product, 8).By("bob").AnsweredAt(day.AddHours(-1).ToString("O"))], "w4", 1),
        ];

        var submitted = await SubmitWhileRedisSleepsAsync(redis, server, batches, inOrder: true);

        Assert.Equal([ResponseOutcome.Counted], submitted.Acks[0].AllOutcomes());
        Assert.Equal([ResponseOutcome.Replaced], submitted.Acks[1].AllOutcomes());
        Assert.Equal([ResponseOutcome.Counted, ResponseOutcome.Counted], submitted.Acks[2].AllOutcomes());
        Assert.Equal([ResponseOutcome.Replaced], submitted.Acks[3].AllOutcomes());
        Assert.Equal([ResponseOutcome.Superseded], submitted.Acks[4].AllOutcomes());
        // w0 alone, then w1 and w2 together; w3 repeats ana, so it and w4 go in a third.
        Assert.Equal(3, submitted.Scripts);
        var score = (await server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((4L, 1L, 1L, 2L), (score.Total, score.Promoters, score.Passives, score.Detractors));
    }

    /// <summary>
    /// Opens a stream per batch, puts Redis to sleep, sends every batch (in list order when <paramref name="inOrder"/>,
    /// each once the server has taken the one before), and returns the acks and the apply scripts Redis ran.
    /// </summary>
    private static async Task<(IReadOnlyList<SubmitResponsesResponse> Acks, long Scripts)> SubmitWhileRedisSleepsAsync(
        RedisServer redis, NpsServerHost server, List<SubmitResponsesRequest> batches, bool inOrder = false)
    {
        var streams = batches.Select(_ => new SubmissionStream(server.Client)).ToList();
        try
        {
            var admin = await redis.AdminAsync();
            await admin.ExecuteAsync("CONFIG", "RESETSTAT");
            var awake = await redis.SleepAsync(TimeSpan.FromSeconds(3));
            if (inOrder)
            {
                // The server reads a request before the next stream's arrives only if it is given the time: 300 ms each.
                for (var i = 0; i < batches.Count; i++)
                {
                    await streams[i].SendAsync(batches[i]);
                    await Task.Delay(300);
                }
            }
            else
            {
                await Task.WhenAll(streams.Select((stream, i) => stream.SendAsync(batches[i])));
            }

            Assert.False(awake.IsCompleted, "Redis woke before every batch was sent: the test cannot tell what gathered.");
            await awake;
            var acks = await Task.WhenAll(streams.Select(stream => stream.ReadAckAsync()));
            return (acks, await ApplyScriptsRunAsync(redis));
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>EVAL and EVALSHA calls since the last CONFIG RESETSTAT: only the apply script runs while batches are submitted.</summary>
    private static async Task<long> ApplyScriptsRunAsync(RedisServer redis)
    {
        await redis.AdminAsync();
        var stats = (await redis.AdminServer().InfoAsync("commandstats")).SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);
        return ScriptCommands.Sum(name => stats.TryGetValue(name, out var value)
            ? long.Parse(value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture)
            : 0);
    }

    private static ProductShare Share(string product, string? writer, long sequence, int score, long predecessor = 0) =>
        Share(product, writer, sequence, [(score, null, DateTimeOffset.UtcNow.AddHours(-1))], predecessor);

    private static ProductShare Share(string product, string? writer, long sequence, params (int Score, string? Respondent, DateTimeOffset At)[] answers) =>
        Share(product, writer, sequence, answers, 0);

    private static ProductShare Share(string product, string? writer, long sequence, (int Score, string? Respondent, DateTimeOffset At)[] answers, long predecessor)
    {
        var folded = BatchFolder.Fold(
            [.. answers.Select(answer => new SurveyAnswer(product, answer.Score, new Dictionary<string, string>(), answer.At, answer.Respondent))],
            new FoldContext(DateTimeOffset.UtcNow, Retention));
        return new ProductShare(writer is null ? null : new WriterStamp(writer, sequence), folded.Products.Single(), predecessor);
    }
}
