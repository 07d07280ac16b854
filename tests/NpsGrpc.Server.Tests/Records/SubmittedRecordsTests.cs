using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Records;

/// <summary>ListResponses and DeleteRespondentRecords end to end: records made by SubmitResponses (the apply script).</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class SubmittedRecordsTests(ScoringServerFixture fixture)
{
    /// <summary>Last month, whole: every day of it is in the past.</summary>
    private static readonly DateTimeOffset MonthStart = new DateTimeOffset(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);

    [Fact]
    public async Task Detractors_and_commented_answers_are_listed_newest_first_with_who_answered_and_what_they_wrote()
    {
        var product = UniqueProduct("submitted");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
        [
            Answer(product, 2, ("region", "eu")).By("hana").Saying("Trop lent", "fr").AnsweredAt(MonthStart.AddDays(3)),
            Answer(product, 10).Saying("love it").AnsweredAt(MonthStart.AddDays(4)),
            Answer(product, 9).AnsweredAt(MonthStart.AddDays(5)),
            Answer(product, 6).AnsweredAt(MonthStart.AddDays(6)),
        ]));

        var records = (await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records;

        Assert.Equal([6, 10, 2], records.Select(record => record.Score));
        var hana = records[2];
        Assert.Equal(("hana", "Trop lent", "fr", ScoreCategory.Detractor, RecordState.Counted), (hana.RespondentId, hana.Comment, hana.LanguageCode, hana.Category, hana.State));
        Assert.Equal("eu", hana.Segments["region"]);
        Assert.Equal(MonthStart.AddDays(3), hana.AnsweredAt.ToDateTimeOffset());
        Assert.Equal("en", records[0].LanguageCode);
        Assert.Equal(records.Count, records.Select(record => record.RecordId).Distinct().Count());
    }

    [Fact]
    public async Task A_replaced_answer_stays_on_record_marked_replaced()
    {
        var product = UniqueProduct("replaced");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 1).By("ola").Saying("broken").AnsweredAt(MonthStart.AddDays(1))]));
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 3).By("ola").Saying("still broken").AnsweredAt(MonthStart.AddDays(2))]));

        var records = (await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records;

        Assert.Equal([("still broken", RecordState.Counted), ("broken", RecordState.Replaced)], records.Select(record => (record.Comment, record.State)));
    }

    [Fact]
    public async Task Last_months_detractors_in_the_EU_and_what_they_said_is_one_call()
    {
        var product = UniqueProduct("eu-detractors");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
        [
            Answer(product, 3, ("region", "eu")).Saying("slow").AnsweredAt(MonthStart.AddDays(2)),
            Answer(product, 4, ("region", "eu")).AnsweredAt(MonthStart.AddDays(3)),
            Answer(product, 5, ("region", "us")).Saying("slow too").AnsweredAt(MonthStart.AddDays(4)),
            Answer(product, 10, ("region", "eu")).Saying("great").AnsweredAt(MonthStart.AddDays(5)),
            Answer(product, 0, ("region", "eu")).Saying("support never answered").AnsweredAt(MonthStart.AddDays(6)),
            Answer(product, 1, ("region", "eu")).Saying("older").AnsweredAt(MonthStart.AddDays(-2)),
        ]));

        var response = await fixture.Client.ListResponsesAsync(new ListResponsesRequest
        {
            ProductId = product,
            Segment = "region=eu",
            StartTime = Timestamp.FromDateTimeOffset(MonthStart),
            EndTime = Timestamp.FromDateTimeOffset(MonthStart.AddMonths(1)),
            Categories = { ScoreCategory.Detractor },
            OnlyWithComment = true,
        });

        Assert.Equal(["support never answered", "slow"], response.Records.Select(record => record.Comment));
        Assert.Empty(response.NextPageToken);
    }

    [Fact]
    public async Task Paging_through_2500_submitted_records_while_more_are_submitted_returns_each_earlier_record_exactly_once_newest_first()
    {
        var product = UniqueProduct("submitted-paging");
        var random = new Random(2500);
        await SubmissionStream.SubmitAllAsync(fixture.Client, [.. Enumerable.Range(0, 5).Select(_ => Batch(Enumerable.Range(0, 500).Select(_ => RandomDetractor(product, random))))]);
        var existing = await AllIdsAsync(product);
        using var stop = new CancellationTokenSource();
        var submitted = 0;
        var submitting = Task.Run(async () =>
        {
            // At most 2,000 more, a batch every 10 ms: a writer left unbounded outpaces the pages on a loaded machine
            // (they chase the records landing in the month still to read), and past Records:MaxPerProduct the oldest
            // records, those there before paging, are trimmed by design before the listing reaches them.
            var more = new Random(13);
            for (var batch = 0; batch < 100 && !stop.IsCancellationRequested; batch++)
            {
                await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Enumerable.Range(0, 20).Select(_ => RandomDetractor(product, more))));
                Interlocked.Add(ref submitted, 20);
                await Task.Delay(10);
            }
        });

        // Pages read slowly enough for new answers to land among those still to read.
        var pages = await RecordPaging.AllPagesAsync(fixture.Client, new ListResponsesRequest { ProductId = product, PageSize = 100 }, () => Task.Delay(20));
        await stop.CancelAsync();
        await submitting;

        Assert.Equal(2500, existing.Count);
        Assert.True(submitted > 0, "Nothing was submitted while paging.");
        await AssertNoneMissingAsync(product, pages, existing);
        RecordPaging.AssertEachExistingOnceNewestFirst([.. pages.SelectMany(page => page.Records)], existing);
    }

    [Fact]
    public async Task Erasing_a_respondent_removes_its_records_stream_entries_and_pending_deliveries_and_leaves_the_score_as_it_was()
    {
        var product = UniqueProduct("erased");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(
        [
            Answer(product, 1, ("region", "eu")).By("hana").Saying("slow").AnsweredAt(MonthStart.AddDays(1)),
            Answer(product, 2).By("ola").Saying("slow too").AnsweredAt(MonthStart.AddDays(1)),
            Answer(product, 10).Saying("love it").AnsweredAt(MonthStart.AddDays(2)),
        ]));
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 4, ("region", "eu")).By("hana").Saying("still slow").AnsweredAt(MonthStart.AddDays(3))]));
        // A follow-up group whose worker holds every entry, unacknowledged.
        var db = await fixture.Redis.AdminAsync();
        var stream = $"nps:{{{product}}}:fu";
        await db.StreamCreateConsumerGroupAsync(stream, "care", StreamPosition.Beginning);
        Assert.Equal(4, (await db.StreamReadGroupAsync(stream, "care", "w1", StreamPosition.NewMessages)).Length);
        var before = await ScoresAsync(product);
        Assert.Contains("slow", (string?)await db.HashGetAsync($"nps:{{{product}}}:r:hana", "tt"), StringComparison.Ordinal);

        var first = await fixture.Client.DeleteRespondentRecordsAsync(new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { product } });
        var second = await fixture.Client.DeleteRespondentRecordsAsync(new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { product } });

        var left = (await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records;
        Assert.Equal((2L, 0L), (first.DeletedRecordCount, second.DeletedRecordCount));
        Assert.Equal(["love it", "slow too"], left.Select(record => record.Comment));
        Assert.Equal(left.Select(record => record.RecordId).Order(), (await db.StreamRangeAsync(stream)).Select(entry => (string)entry["id"]!).Order());
        Assert.Equal(2, (await db.StreamPendingAsync(stream, "care")).PendingMessageCount);
        Assert.Equal(before, await ScoresAsync(product));
        // The words of the comment are gone from the respondent's state too; the answer's time, score and labels stay.
        var state = (await db.HashGetAllAsync($"nps:{{{product}}}:r:hana")).ToDictionary(field => (string)field.Name!, field => (string)field.Value!);
        Assert.DoesNotContain("tt", state.Keys);
        Assert.DoesNotContain("rec", state.Keys);
        Assert.Equal("4", state["s"]);
        // The respondent's answer still counts: answering again replaces it rather than counting twice.
        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 0).By("hana").Saying("gone again").AnsweredAt(MonthStart.AddDays(4))]))).Single();
        Assert.Equal(1, ack.ReplacedCount);
        Assert.Equal(3, (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score.Total);
        // It is recorded afresh, alone: the erased records are not marked replaced back into existence.
        var again = (await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records;
        Assert.Equal([("gone again", RecordState.Counted), ("love it", RecordState.Counted), ("slow too", RecordState.Counted)], again.Select(record => (record.Comment, record.State)));
        Assert.Equal(again[0].RecordId, (string?)await db.HashGetAsync($"nps:{{{product}}}:r:hana", "rec"));
    }

    private async Task<(string All, string Eu)> ScoresAsync(string product)
    {
        var all = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var eu = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "region=eu" })).Score;
        return (all.ToString(), eu.ToString());
    }

    /// <summary>
    /// Fails, saying what Redis holds of them and where they stand among the pages, when records there before paging
    /// were not listed: whether they were lost or skipped is what tells the cause.
    /// </summary>
    private async Task AssertNoneMissingAsync(string product, IReadOnlyList<ListResponsesResponse> pages, HashSet<string> existing)
    {
        var listed = pages.SelectMany(page => page.Records).Select(record => record.RecordId).ToHashSet();
        var missing = existing.Where(id => !listed.Contains(id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var db = await fixture.Redis.AdminAsync();
        var stored = (await StoredRecords.ReadAsync(db, product)).ToDictionary(record => record.Id);
        var indexed = (await StoredRecords.IndexAsync(db, product)).Select(member => member[17..].TrimStart('0')).ToHashSet();
        var times = missing.Where(stored.ContainsKey).Select(id => stored[id].AnsweredAt).Order().ToList();
        var bounds = pages.Where(page => page.Records.Count > 0)
            .Select(page => $"{page.Records.Count}@{page.Records[0].AnsweredAt.ToDateTimeOffset():O}..{page.Records[^1].AnsweredAt.ToDateTimeOffset():O}");
        Assert.Fail(
            $"{missing.Count} of the {existing.Count} records there before paging were not listed; {missing.Count(stored.ContainsKey)} of them are "
            + $"still in the records hash and {missing.Count(indexed.Contains)} in the index, answered from {(times.Count > 0 ? times[0].ToString("O") : "-")} "
            + $"to {(times.Count > 0 ? times[^1].ToString("O") : "-")}; the pages (records@newest..oldest): {string.Join(", ", bounds)}");
    }

    private async Task<HashSet<string>> AllIdsAsync(string product) =>
        [.. (await RecordPaging.AllPagesAsync(fixture.Client, new ListResponsesRequest { ProductId = product, PageSize = 1000 }))
            .SelectMany(page => page.Records).Select(record => record.RecordId)];

    private static SurveyResponse RandomDetractor(string product, Random random) =>
        Answer(product, random.Next(0, 7)).AnsweredAt(MonthStart.AddSeconds(random.Next(0, 28 * 24 * 3600)).AddTicks(random.Next(0, 10_000_000)));
}
