using Google.Rpc;
using Grpc.Core;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Time;
using NpsGrpc.Redis;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using StackExchange.Redis;
using ResponseOutcome = NpsGrpc.V1.ResponseOutcome;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class RespondentTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task Batches_of_returning_respondents_sent_without_waiting_for_acks_are_all_applied_in_order()
    {
        var product = UniqueProduct("pipelined-respondents");
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var batches = Enumerable.Range(1, 30).Select(sequence => Batch(
            [.. Enumerable.Range(0, 5).Select(r => Answer(product, (sequence + r) % 11).By($"returning-{r}").AnsweredAt(start.AddHours(sequence).ToString("O"))),
             Answer(product, 10)],
            "pipelined-respondents-writer",
            sequence)).ToArray();

        using var stream = new SubmissionStream(fixture.Client);
        foreach (var batch in batches)
        {
            await stream.SendAsync(batch);
        }

        var acks = new List<SubmitResponsesResponse>();
        foreach (var _ in batches)
        {
            acks.Add(await stream.ReadAckAsync());
        }

        await stream.CompleteAsync();
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        Assert.All(acks, ack => Assert.Equal(6, ack.AcceptedCount));
        var expected = new long[11];
        expected[10] += 30;
        for (var r = 0; r < 5; r++)
        {
            expected[(30 + r) % 11]++;
        }

        Assert.Equal(expected, score.Distribution.ToArray());
    }

    [Fact]
    public async Task A_newer_answer_replaces_the_older_one_in_every_tally_it_moved_across_days_and_segments()
    {
        var product = UniqueProduct("replace");
        var first = await Submit(Answer(product, 3, ("region", "eu")).By("alice").AnsweredAt("2025-01-31T22:00:00Z"));
        var second = await Submit(Answer(product, 10, ("region", "us"), ("plan", "pro")).By("alice").AnsweredAt("2025-02-02T08:00:00Z"));

        Assert.Equal([ResponseOutcome.Counted], first.AllOutcomes());
        Assert.Equal([ResponseOutcome.Replaced], second.AllOutcomes());
        Assert.Equal(1, second.ReplacedCount);
        Assert.Equal((1L, 1L, 0L), Counts(await ScoreOf(product)));
        Assert.Equal(0, (await ScoreOf(product, "region=eu")).Total);
        Assert.Equal(1, (await ScoreOf(product, "region=us")).Promoters);
        Assert.Equal(1, (await ScoreOf(product, "plan=pro")).Total);
        Assert.Equal(0, (await ScoreOf(product, start: "2025-01-31", end: "2025-02-01")).Total);
        Assert.Equal(0, (await ScoreOf(product, start: "2025-01-01", end: "2025-02-01")).Total);
        Assert.Equal(0, (await ScoreOf(product, "region=eu", "2025-01-01", "2025-02-01")).Total);
        Assert.Equal(1, (await ScoreOf(product, start: "2025-02-02", end: "2025-02-03")).Total);
        Assert.Equal(1, (await ScoreOf(product, "region=us", "2025-02-01", "2025-03-01")).Total);
    }

    [Fact]
    public async Task An_older_answer_arriving_late_is_superseded_and_counted_nowhere()
    {
        var product = UniqueProduct("late");
        await Submit(Answer(product, 9).By("bob").AnsweredAt("2025-03-10T10:00:00Z"));

        var late = await Submit(Answer(product, 0, ("region", "eu")).By("bob").AnsweredAt("2025-03-09T10:00:00Z"));

        Assert.Equal([ResponseOutcome.Superseded], late.AllOutcomes());
        Assert.Equal(1, late.SupersededCount);
        Assert.Equal(1, late.AcceptedCount);
        Assert.Equal((1L, 1L, 0L), Counts(await ScoreOf(product)));
        Assert.Equal(0, (await ScoreOf(product, start: "2025-03-09", end: "2025-03-10")).Total);
    }

    [Fact]
    public async Task A_superseded_answer_adds_no_segment_label_to_the_product()
    {
        var product = UniqueProduct("superseded-label");
        await Submit(Answer(product, 9, ("plan", "pro")).By("ivan").AnsweredAt("2025-03-10T10:00:00Z"));

        await Submit(
            Answer(product, 1, ("plan", "trial")).By("ivan").AnsweredAt("2025-03-01T10:00:00Z"),
            Answer(product, 1, ("plan", "free")).By("judy").AnsweredAt("2025-03-01T10:00:00Z"),
            Answer(product, 1, ("plan", "team")).By("judy").AnsweredAt("2025-03-02T10:00:00Z"));
        var page = await fixture.Client.ListSegmentsAsync(new ListSegmentsRequest { ProductId = product });

        Assert.Equal(["plan=pro", "plan=team"], page.Segments.Select(s => s.Segment).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Within_one_batch_only_the_latest_answer_of_a_respondent_counts()
    {
        var product = UniqueProduct("same-batch");

        var ack = await Submit(
            Answer(product, 2).By("carol").AnsweredAt("2025-04-01T10:00:00Z"),
            Answer(product, 10).By("carol").AnsweredAt("2025-04-03T10:00:00Z"),
            Answer(product, 5).By("carol").AnsweredAt("2025-04-02T10:00:00Z"),
            Answer(product, 7).By("dave").AnsweredAt("2025-04-02T10:00:00Z"),
            Answer(product, 7));

        Assert.Equal(
            [ResponseOutcome.Superseded, ResponseOutcome.Counted, ResponseOutcome.Superseded, ResponseOutcome.Counted, ResponseOutcome.Counted],
            ack.AllOutcomes());
        Assert.Equal(2, ack.SupersededCount);
        var score = await ScoreOf(product);
        Assert.Equal((3L, 1L, 0L), Counts(score));
        Assert.Equal(2, score.Passives);
    }

    [Fact]
    public async Task Re_sending_the_same_answer_without_a_writer_id_never_counts_it_twice()
    {
        var product = UniqueProduct("idempotent");
        var answer = Answer(product, 4, ("region", "eu")).By("erin").AnsweredAt("2025-05-05T05:00:00Z");

        await Submit(answer);
        var again = await Submit(answer.Clone());

        Assert.Equal([ResponseOutcome.Replaced], again.AllOutcomes());
        Assert.Equal((1L, 0L, 1L), Counts(await ScoreOf(product)));
        Assert.Equal(1, (await ScoreOf(product, "region=eu")).Total);
        Assert.Equal(1, (await ScoreOf(product, start: "2025-05-05", end: "2025-05-06")).Total);
    }

    [Fact]
    public async Task A_respondent_counts_once_per_product_not_once_overall()
    {
        var a = UniqueProduct("product-a");
        var b = UniqueProduct("product-b");

        var ack = await Submit(Answer(a, 9).By("frank"), Answer(b, 1).By("frank"));

        Assert.Equal([ResponseOutcome.Counted, ResponseOutcome.Counted], ack.AllOutcomes());
        Assert.Equal(1, (await ScoreOf(a)).Promoters);
        Assert.Equal(1, (await ScoreOf(b)).Detractors);
    }

    [Fact]
    public async Task An_invalid_respondent_id_is_rejected_and_reported_as_such()
    {
        var product = UniqueProduct("bad-respondent");

        var ack = await Submit(Answer(product, 9).By("has space"), Answer(product, 9));

        Assert.Equal([ResponseOutcome.Rejected, ResponseOutcome.Counted], ack.AllOutcomes());
        Assert.Equal(RejectionReason.InvalidRespondentId, Assert.Single(ack.Rejected).Reason);
        Assert.Equal("responses[0].respondent_id", ack.Rejected[0].Field);
    }

    [Fact]
    public async Task A_duplicate_batch_says_every_answer_was_already_applied_and_changes_nothing()
    {
        var product = UniqueProduct("dup-respondent");
        var batch = Batch([Answer(product, 9).By("gina"), Answer(product, 1)], "respondent-writer", 1);

        var acks = await SubmissionStream.SubmitAllAsync(fixture.Client, batch, batch);

        Assert.Equal([ResponseOutcome.Counted, ResponseOutcome.Counted], acks[0].AllOutcomes());
        Assert.True(acks[1].Duplicate);
        Assert.Equal(2, acks[1].AlreadyAppliedCount);
        Assert.Empty(acks[1].OtherOutcomes);
        Assert.Equal([ResponseOutcome.AlreadyApplied, ResponseOutcome.AlreadyApplied], acks[1].AllOutcomes());
        Assert.Equal(2, (await ScoreOf(product)).Total);
    }

    [Fact]
    public async Task Writers_racing_on_the_same_respondents_across_days_months_and_labels_through_two_instances_are_all_applied_and_the_latest_answers_count()
    {
        var race = new RacingRespondents(UniqueProduct("racing"));
        // One instance applies a product's batches one flush at a time, so the writers race only across instances.
        await using var other = await NpsServerHost.StartAsync(fixture.Redis.Configuration);
        NpsService.NpsServiceClient[] clients = [fixture.Client, other.Client];

        // All writers at once, each with every batch in flight before reading an acknowledgement.
        var outcomes = await Task.WhenAll(race.Batches.Select((batches, writer) => PipelinedStream.RunAsync(clients[writer % 2], batches, window: batches.Count)));

        Assert.All(outcomes, outcome => Assert.Null(outcome.Failure));
        Assert.All(outcomes, outcome => Assert.Equal(outcome.Sent.Count, outcome.Acks.Count));
        Assert.All(outcomes.SelectMany(outcome => outcome.Acks), ack => Assert.Equal(race.Respondents, ack.AcceptedCount));
        await race.AssertOnlyTheLatestAnswersCountAsync(fixture.Client);
    }

    [Fact]
    public async Task A_race_outlasting_every_attempt_ends_the_stream_UNAVAILABLE_saying_so_and_re_sending_the_unacknowledged_batches_leaves_exact_tallies()
    {
        using var logs = new CapturedLogs();
        var oneAttempt = new Dictionary<string, string?> { ["Redis:RespondentConflictAttempts"] = "1" };
        await using var server = await NpsServerHost.StartAsync(fixture.Redis.Configuration, oneAttempt, logs);
        await using var other = await NpsServerHost.StartAsync(fixture.Redis.Configuration, oneAttempt, logs);
        NpsService.NpsServiceClient[] clients = [server.Client, other.Client];

        // With one attempt, a race is lost as soon as another instance's writer replaces an answer between the read and
        // the script (one instance applies a product's batches one flush at a time). Whether a race is lost is timing:
        // races run until one is (a few tenths of a second each; three were once not enough on a loaded cluster).
        var failures = new List<RpcException>();
        for (var race = 0; race < 30 && failures.Count == 0; race++)
        {
            var racing = new RacingRespondents(UniqueProduct("lost-race"));
            var unacknowledged = racing.Batches;
            for (var round = 1; unacknowledged.Any(batches => batches.Count > 0); round++)
            {
                // Each round applies at least the batch whose script runs first; a race that never ends is a bug.
                Assert.True(round <= 200, "Re-sending did not get every batch acknowledged in 200 rounds.");
                // As a client does: re-send what was not acknowledged, with the same writer and sequences.
                var outcomes = await Task.WhenAll(unacknowledged.Select((batches, writer) => PipelinedStream.RunAsync(clients[writer % 2], batches, window: Math.Max(1, batches.Count))));
                failures.AddRange(outcomes.Select(outcome => outcome.Failure).OfType<RpcException>());
                unacknowledged = [.. outcomes.Select(outcome => outcome.Unacknowledged)];
            }

            await racing.AssertOnlyTheLatestAnswersCountAsync(server.Client);
        }

        Assert.NotEmpty(failures);
        Assert.All(failures, failure => StatusAssertions.ErrorInfo(failure, StatusCode.Unavailable, ErrorReason.RespondentConflict));
        Assert.All(failures, failure => Assert.InRange(failure.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)));
        Assert.All(failures, failure => Assert.Contains("replacing answers of the same respondents", failure.Status.Detail));
        Assert.Contains(logs.Lines, line => line.Contains("[Warning]") && line.Contains("replacing answers of the same respondents"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("Redis is unavailable"));
    }

    [Fact]
    public async Task An_apply_script_that_does_not_declare_the_stored_earlier_answer_writes_nothing_and_returns_it_so_the_retry_can()
    {
        var product = UniqueProduct("undeclared");
        // Both days retained, 40 days apart (so in different months): the earlier answer moved day tallies too.
        var earlier = DateTime.UtcNow.Date.AddDays(-40).AddHours(12);
        var later = DateTime.UtcNow.Date.AddDays(-3).AddHours(8);
        await Submit(Answer(product, 3, ("region", "eu")).By("carol").AnsweredAt(earlier.ToString("O")));
        var db = await fixture.Redis.AdminAsync();
        var layout = new RedisKeyLayout("nps");
        var retention = new DayRetention(DayRetention.DefaultRetention);
        var replacement = BatchFolder.Fold(
            [new SurveyAnswer(product, 10, new Dictionary<string, string> { ["region"] = "us" }, new DateTimeOffset(later, TimeSpan.Zero), "carol")],
            new FoldContext(DateTimeOffset.UtcNow, retention)).Products.Single();
        var stored = RespondentState.From(await db.HashGetAsync(layout.Respondent(product, "carol"), RespondentState.Fields));
        Assert.Equal("1", stored!.DayCounted);

        // Declared as if carol had never answered: none of her earlier answer's tallies are among the keys.
        var (keys, args) = Scripts.ApplyArguments(layout, [(null, 0)], replacement, [null], 60_000, retention);
        var refusal = (RedisResult[])(await db.ScriptEvaluateAsync(Scripts.Apply, keys, args))!;

        Assert.Equal(-2, (long)refusal[0]);
        Assert.Equal(stored, RespondentState.FromReply(refusal, 1));
        Assert.Equal(stored, RespondentState.From(await db.HashGetAsync(layout.Respondent(product, "carol"), RespondentState.Fields)));
        Assert.Equal((1L, 0L, 1L), Counts(await ScoreOf(product)));
        Assert.Equal(1, (await ScoreOf(product, "region=eu", Day(earlier), Day(earlier.AddDays(1)))).Total);
        Assert.False(await db.KeyExistsAsync(layout.Segment(product, new("region", "us"))));

        (keys, args) = Scripts.ApplyArguments(layout, [(null, 0)], replacement, [RespondentState.FromReply(refusal, 1)], 60_000, retention);
        var applied = (long[])(await db.ScriptEvaluateAsync(Scripts.Apply, keys, args))!;

        Assert.Equal([1L, 2L], applied);
        Assert.Equal((1L, 1L, 0L), Counts(await ScoreOf(product)));
        Assert.Equal(0, (await ScoreOf(product, "region=eu")).Total);
        Assert.Equal(1, (await ScoreOf(product, "region=us")).Total);
        Assert.Equal(0, (await ScoreOf(product, start: Day(earlier), end: Day(earlier.AddDays(1)))).Total);
        Assert.Equal(0, (await ScoreOf(product, "region=eu", Day(earlier), Day(earlier.AddDays(1)))).Total);
        Assert.Equal(1, (await ScoreOf(product, "region=us", Day(later), Day(later.AddDays(1)))).Total);
    }

    private static string Day(DateTime instant) => instant.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static (long Total, long Promoters, long Detractors) Counts(Score score) => (score.Total, score.Promoters, score.Detractors);

    private async Task<SubmitResponsesResponse> Submit(params SurveyResponse[] responses) =>
        (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(responses))).Single();

    private async Task<Score> ScoreOf(string product, string segment = "", string? start = null, string? end = null)
    {
        var request = new GetScoreRequest { ProductId = product, Segment = segment };
        if (start is not null)
        {
            request.StartTime = Time.At(start + "T00:00:00Z");
            request.EndTime = Time.At(end + "T00:00:00Z");
        }

        return (await fixture.Client.GetScoreAsync(request)).Score;
    }
}
