using System.Globalization;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;
using ResponseOutcome = NpsGrpc.V1.ResponseOutcome;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// What SubmitResponses records (design-13.md's layout, read back with plain Redis commands): counted detractors and
/// counted commented answers, in the script that moves their tallies, once, and with their whole answer.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class RecordTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task A_detractor_and_a_commented_promoter_are_recorded_with_every_field_and_uncommented_promoters_and_passives_are_not()
    {
        var product = UniqueProduct("recorded");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var ack = await SubmitAsync(
            Answer(product, 3, ("region", "eu"), ("plan", "pro")).By("alice").AnsweredAt("2025-06-01T10:00:00.123456Z"),
            Answer(product, 10).Saying("Cafe\u0301 support\nis easy", "fr-CA").AnsweredAt("2025-06-02T11:00:00Z"),
            Answer(product, 9).AnsweredAt("2025-06-02T11:00:00Z"),
            Answer(product, 7).By("bob").AnsweredAt("2025-06-02T11:00:00Z"));

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var db = await fixture.Redis.AdminAsync();
        var records = await StoredRecords.ReadAsync(db, product);
        Assert.Equal(4, ack.AcceptedCount);
        Assert.Equal(2, records.Count);

        var detractor = records.Single(record => record.Score == 3);
        Assert.Equal("1748772000123456", detractor.AnsweredAtMicros);
        Assert.Equal("alice", detractor.Respondent);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu", ["plan"] = "pro" }, detractor.Labels);
        Assert.Null(detractor.Comment);
        Assert.Equal("en", detractor.Language);
        Assert.Equal("c", detractor.State);
        Assert.InRange(long.Parse(detractor.RecordTimeMillis, CultureInfo.InvariantCulture), before, after);

        var promoter = records.Single(record => record.Score == 10);
        Assert.Equal("Caf\u00e9 support\nis easy", promoter.Comment);
        Assert.Equal("fr-CA", promoter.Language);
        Assert.Null(promoter.Respondent);
        Assert.Empty(promoter.Labels);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 11, 0, 0, TimeSpan.Zero), promoter.AnsweredAt);

        Assert.Equal(records.Select(StoredRecords.Member).Order(StringComparer.Ordinal), await StoredRecords.IndexAsync(db, product));
        var stream = await StoredRecords.StreamAsync(db, product);
        Assert.Equal(
            records.Select(record => (record.StreamId, record.Id, record.Score, record.Comment is not null)).OrderBy(entry => entry.Id, StringComparer.Ordinal),
            stream.OrderBy(entry => entry.RecordId, StringComparer.Ordinal));
        Assert.Equal(detractor.Id, (string?)await db.HashGetAsync(StoredRecords.Key(product, "r:alice"), "cr"));
        Assert.Equal(detractor.Id, (string?)await db.HashGetAsync(StoredRecords.Key(product, "r:alice"), "rec"));
        Assert.False(await db.HashExistsAsync(StoredRecords.Key(product, "r:bob"), "cr"));
        Assert.Equal("2", (string?)await db.StringGetAsync(StoredRecords.Key(product, "rec:n")));
    }

    [Fact]
    public async Task A_batch_re_sent_with_its_writer_and_sequence_records_nothing_again()
    {
        var product = UniqueProduct("resent-records");
        var batch = Batch([Answer(product, 2).Saying("slow"), Answer(product, 5).By("carol"), Answer(product, 10)], "records-writer", 1);

        var acks = await SubmissionStream.SubmitAllAsync(fixture.Client, batch, batch);
        var again = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        var db = await fixture.Redis.AdminAsync();
        Assert.True(acks[1].Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(2, (await StoredRecords.ReadAsync(db, product)).Count);
        Assert.Equal(2, (await StoredRecords.StreamAsync(db, product)).Count);
        Assert.Equal(2, (await StoredRecords.IndexAsync(db, product)).Count);
    }

    [Fact]
    public async Task A_replaced_answer_stays_on_record_marked_replaced_and_a_superseded_one_is_not_recorded()
    {
        var product = UniqueProduct("replaced-record");
        await SubmitAsync(Answer(product, 2).By("dana").AnsweredAt("2025-03-01T10:00:00Z"));
        var replacing = await SubmitAsync(Answer(product, 10).By("dana").Saying("support fixed it").AnsweredAt("2025-03-05T10:00:00Z"));
        var late = await SubmitAsync(Answer(product, 0).By("dana").Saying("awful").AnsweredAt("2025-03-03T10:00:00Z"));
        var inOneBatch = await SubmitAsync(
            Answer(product, 1).By("erik").Saying("first").AnsweredAt("2025-03-09T10:00:00Z"),
            Answer(product, 4).By("erik").Saying("older").AnsweredAt("2025-03-08T10:00:00Z"));

        var db = await fixture.Redis.AdminAsync();
        var records = await StoredRecords.ReadAsync(db, product);
        Assert.Equal([ResponseOutcome.Replaced], replacing.AllOutcomes());
        Assert.Equal([ResponseOutcome.Superseded], late.AllOutcomes());
        Assert.Equal([ResponseOutcome.Counted, ResponseOutcome.Superseded], inOneBatch.AllOutcomes());
        Assert.Equal([(2, "r"), (10, "c"), (1, "c")], records.Select(record => (record.Score, record.State)));
        Assert.Equal("first", records[2].Comment);
        var dana = StoredRecords.Key(product, "r:dana");
        Assert.Equal(records[1].Id, (string?)await db.HashGetAsync(dana, "cr"));
        Assert.Equal($"{records[0].Id} {records[1].Id}", (string?)await db.HashGetAsync(dana, "rec"));
        Assert.Equal(3, (await StoredRecords.StreamAsync(db, product)).Count);
    }

    [Fact]
    public async Task A_recorded_answer_replaced_by_one_that_is_not_recorded_is_marked_replaced_and_the_respondent_has_no_counted_record()
    {
        var product = UniqueProduct("replaced-unrecorded");
        await SubmitAsync(Answer(product, 2).By("fay").AnsweredAt("2025-03-01T10:00:00Z"));
        await SubmitAsync(Answer(product, 9).By("fay").AnsweredAt("2025-03-02T10:00:00Z"));

        var db = await fixture.Redis.AdminAsync();
        var record = Assert.Single(await StoredRecords.ReadAsync(db, product));
        Assert.Equal("r", record.State);
        Assert.Equal(string.Empty, (string?)await db.HashGetAsync(StoredRecords.Key(product, "r:fay"), "cr"));
        Assert.Equal(record.Id, (string?)await db.HashGetAsync(StoredRecords.Key(product, "r:fay"), "rec"));
    }

    [Fact]
    public async Task A_comment_full_of_json_syntax_is_recorded_exactly_found_by_every_filter_and_kept_exactly_once_its_record_is_replaced()
    {
        var product = UniqueProduct("json-syntax");
        const string comment = "He said \"fine\", \\ then: {\"s\":10,\"c\":\"x\"}\n\tcaf\u00e9 \U0001F600 <b>&amp;</b> / \\u0041";

        Assert.Equal(1, (await SubmitAsync(Answer(product, 2, ("region", "eu")).By("ivy").Saying(comment))).AcceptedCount);

        var found = await fixture.Client.ListResponsesAsync(new ListResponsesRequest
        {
            ProductId = product,
            Segment = "region=eu",
            Categories = { ScoreCategory.Detractor },
            OnlyWithComment = true,
        });
        var record = Assert.Single(found.Records);
        Assert.Equal((comment, 2, "ivy", "en", RecordState.Counted), (record.Comment, record.Score, record.RespondentId, record.LanguageCode, record.State));
        Assert.Empty((await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product, Categories = { ScoreCategory.Promoter } })).Records);
        Assert.Empty((await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product, Segment = "region=us" })).Records);

        // A later answer of the respondent: the script marks the record replaced, re-encoding it with cjson.
        Assert.Equal(1, (await SubmitAsync(Answer(product, 9).By("ivy"))).AcceptedCount);
        var replaced = Assert.Single((await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records);
        Assert.Equal((record.RecordId, comment, RecordState.Replaced), (replaced.RecordId, replaced.Comment, replaced.State));
        Assert.Equal("eu", replaced.Segments["region"]);
    }

    [Fact]
    public async Task Comments_are_limited_in_code_points_after_NFC_so_2000_emoji_or_4000_code_points_composing_into_2000_are_accepted()
    {
        var product = UniqueProduct("code-points");
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 2000));
        var composing = string.Concat(Enumerable.Repeat("e\u0301", 2000));

        var ack = await SubmitAsync(Answer(product, 10).Saying(emoji), Answer(product, 10).Saying(composing), Answer(product, 10).Saying(emoji + "!"));

        Assert.Equal(2, ack.AcceptedCount);
        Assert.Equal((2, RejectionReason.CommentTooLong, "responses[2].comment"), (Assert.Single(ack.Rejected).Index, ack.Rejected[0].Reason, ack.Rejected[0].Field));
        var comments = (await StoredRecords.ReadAsync(await fixture.Redis.AdminAsync(), product)).Select(record => record.Comment).ToHashSet();
        Assert.Equal([emoji, new string('\u00e9', 2000)], comments);
    }

    [Fact]
    public async Task A_thousand_responses_with_2000_character_comments_fit_one_request_and_are_all_recorded()
    {
        var product = UniqueProduct("thousand-comments");
        var batch = Batch(Enumerable.Range(0, 1000).Select(i => Answer(product, i % 11).Saying($"{i:D4}{new string('w', 1996)}")), "thousand-writer", 1);

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, batch)).Single();

        var db = await fixture.Redis.AdminAsync();
        var records = await StoredRecords.ReadAsync(db, product);
        Assert.Equal(1000, ack.AcceptedCount);
        Assert.Equal(1000, records.Count);
        Assert.All(records, record => Assert.Equal(2000, record.Comment!.Length));
        Assert.Equal(1000, records.Select(record => record.Comment![..4]).Distinct().Count());
        Assert.Equal(1000, (await StoredRecords.StreamAsync(db, product)).Count);
    }

    [Fact]
    public async Task A_thousand_comments_of_four_byte_characters_exceed_the_4_MiB_message_limit_and_move_nothing()
    {
        var product = UniqueProduct("too-large");
        var comment = string.Concat(Enumerable.Repeat("\U0001F600", 2000));
        var batch = Batch(Enumerable.Range(0, 1000).Select(_ => Answer(product, 3).Saying(comment)), "too-large-writer", 1);
        Assert.True(batch.CalculateSize() > 4 * 1024 * 1024);

        using (var stream = new SubmissionStream(fixture.Client))
        {
            try
            {
                await stream.SendAsync(batch);
            }
            catch (RpcException)
            {
                // The server may refuse the call before the client has written the whole message.
            }

            var failure = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);
            StatusAssertions.ErrorInfo(failure, StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge);
        }

        var db = await fixture.Redis.AdminAsync();
        foreach (var suffix in new[] { "all", "rec", "rec:n", "fu" })
        {
            Assert.False(await db.KeyExistsAsync(StoredRecords.Key(product, suffix)), suffix);
        }
    }

    public static TheoryData<string, bool> ForeignKeys() => new()
    {
        { "rec", false },
        { "rec", true },
        { "rec:n", false },
        { "rec:idx", false },
        { "rec:idx", true },
        { "fu", false },
        { "fu", true },
        { "seg:plan=pro", false },
        { "seg:plan=pro", true },
    };

    [Theory]
    [MemberData(nameof(ForeignKeys))]
    public async Task A_key_of_another_type_where_a_record_or_tally_key_should_be_fails_the_batch_and_moves_neither_tallies_nor_records(string foreign, bool recordedBefore)
    {
        var product = UniqueProduct("foreign-" + foreign.Replace(':', '-').Replace('=', '-'));
        var db = await fixture.Redis.AdminAsync();
        if (recordedBefore)
        {
            await SubmitAsync(Answer(product, 1).By("gus").Saying("slow").AnsweredAt("2025-02-01T10:00:00Z"), Answer(product, 6));
        }

        var untouched = ProductKeys.Where(suffix => suffix != foreign).ToList();
        var snapshot = await SnapshotAsync(db, product, untouched);
        await db.KeyDeleteAsync(StoredRecords.Key(product, foreign));
        await db.StringSetAsync(StoredRecords.Key(product, foreign), "not mine");

        using (var stream = new SubmissionStream(fixture.Client))
        {
            await stream.SendAsync(Batch(
                [
                    Answer(product, 10, ("plan", "pro")).Saying("love it"),
                    Answer(product, 2).By("gus").Saying("still slow").AnsweredAt("2025-02-03T10:00:00Z"),
                    Answer(product, 0),
                ],
                "foreign-writer",
                1));
            StatusAssertions.ErrorInfo(await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync), StatusCode.Internal, ErrorReason.Internal);
        }

        Assert.Equal(snapshot, await SnapshotAsync(db, product, untouched));
        Assert.Equal("not mine", (string?)await db.StringGetAsync(StoredRecords.Key(product, foreign)));
        Assert.False(await db.KeyExistsAsync(StoredRecords.Key(product, "w:foreign-writer")));
    }

    private static readonly string[] ProductKeys = ["all", "rec", "rec:n", "rec:idx", "fu", "r:gus", "labels", "seg:plan=pro"];

    /// <summary>Every listed key of the product as text (type and content), to compare before and after.</summary>
    private static async Task<IReadOnlyList<string>> SnapshotAsync(IDatabase db, string product, IEnumerable<string> suffixes)
    {
        var lines = new List<string>();
        foreach (var suffix in suffixes)
        {
            var key = StoredRecords.Key(product, suffix);
            var type = await db.KeyTypeAsync(key);
            var content = type switch
            {
                RedisType.Hash => string.Join(',', (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}").Order(StringComparer.Ordinal)),
                RedisType.String => (string?)await db.StringGetAsync(key),
                RedisType.SortedSet => string.Join(',', await db.SortedSetRangeByRankAsync(key)),
                RedisType.Set => string.Join(',', (await db.SetMembersAsync(key)).Select(m => (string?)m).Order(StringComparer.Ordinal)),
                RedisType.Stream => string.Join(',', (await db.StreamRangeAsync(key)).Select(e => (string?)e.Id)),
                _ => string.Empty,
            };
            lines.Add($"{suffix} {type} {content}");
        }

        return lines;
    }

    private async Task<SubmitResponsesResponse> SubmitAsync(params SurveyResponse[] responses) =>
        (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(responses))).Single();
}
