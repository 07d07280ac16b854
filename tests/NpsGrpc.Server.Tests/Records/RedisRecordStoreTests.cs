using Microsoft.Extensions.Options;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Validation;
using NpsGrpc.Redis;
using NpsGrpc.Server.Tests.Support;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Records;

/// <summary>
/// The record store against records written in the documented layout (RecordSeeder), on the shared Redis (a
/// cluster when NPS_TEST_REDIS=cluster).
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class RedisRecordStoreTests(ScoringServerFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_come_newest_first_and_those_of_the_same_microsecond_by_descending_id()
    {
        var (db, store, product) = await SetUpAsync("order");
        var older = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 3));
        var tieLow = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddSeconds(1), 3));
        var newest = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddSeconds(2), 3));
        var tieHigh = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddSeconds(1), 3));

        var page = await store.ListAsync(Listing(product), CancellationToken.None);

        Assert.Equal([newest, tieHigh, tieLow, older], page.Records.Select(record => record.RecordId));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task A_record_reads_back_with_every_field_it_was_written_with_to_the_microsecond()
    {
        var (db, store, product) = await SetUpAsync("fields");
        var done = new DateTimeOffset(2026, 3, 11, 9, 30, 0, 123, TimeSpan.Zero);
        var id = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 2)
        {
            AnsweredAtMicros = ((Noon - DateTimeOffset.UnixEpoch).Ticks / 10) + 654_321,
            Respondent = "hana",
            Labels = new Dictionary<string, string> { ["region"] = "eu", ["plan"] = "pro" },
            Comment = "Ça rame, le support ne répond pas",
            Language = "fr",
            Replaced = true,
            FollowUps = [RecordSeeder.FollowUp("care", "w1", 2, "called back", done), RecordSeeder.FollowUp("qa", "w9", 4, string.Empty, done.AddHours(1))],
        });
        var bare = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddDays(-1), 9));

        var records = (await store.ListAsync(Listing(product), CancellationToken.None)).Records;

        var full = records[0];
        Assert.Equal((id, product, 2, ScoreCategory.Detractor), (full.RecordId, full.ProductId, full.Score, full.Category));
        Assert.Equal(Noon.AddTicks(6_543_210), full.AnsweredAt);
        Assert.Equal("hana", full.RespondentId);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu", ["plan"] = "pro" }, full.Segments);
        Assert.Equal(("Ça rame, le support ne répond pas", "fr", RecordState.Replaced), (full.Comment, full.LanguageCode, full.State));
        Assert.InRange(full.RecordTime, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(
            [new FollowUpResult("care", "w1", FollowUpOutcome.Resolved, "called back", done), new FollowUpResult("qa", "w9", FollowUpOutcome.NoActionNeeded, string.Empty, done.AddHours(1))],
            full.FollowUps);
        var plain = records[1];
        Assert.Equal((bare, 9, ScoreCategory.Promoter, RecordState.Counted), (plain.RecordId, plain.Score, plain.Category, plain.State));
        Assert.Equal((null, null), (plain.RespondentId, plain.Comment));
        Assert.Empty(plain.Segments);
        Assert.Empty(plain.FollowUps);
    }

    [Fact]
    public async Task The_interval_includes_its_start_and_excludes_its_end_to_the_microsecond()
    {
        var (db, store, product) = await SetUpAsync("bounds");
        var start = (Noon - DateTimeOffset.UnixEpoch).Ticks / 10;
        var ids = new Dictionary<long, string>();
        foreach (var micros in new[] { start - 1, start, start + 1, start + 999, start + 1000 })
        {
            ids[micros] = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 3) { AnsweredAtMicros = micros });
        }

        var page = await store.ListAsync(Listing(product, start: start, end: start + 1000), CancellationToken.None);

        Assert.Equal([ids[start + 999], ids[start + 1], ids[start]], page.Records.Select(record => record.RecordId));
    }

    [Fact]
    public async Task A_page_examines_at_most_ten_records_per_record_asked_and_the_next_continues_after_the_last_examined()
    {
        var (db, store, product) = await SetUpAsync("sparse");
        var detractor = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 1));
        await RecordSeeder.AddManyAsync(db, product, Enumerable.Range(1, 45).Select(i => new SeedRecord(Noon.AddMinutes(i), 10)));
        var listing = Listing(product, categories: [ScoreCategory.Detractor], pageSize: 2);

        var first = await store.ListAsync(listing, CancellationToken.None);
        var second = await store.ListAsync(Continue(listing, first.Next), CancellationToken.None);
        var third = await store.ListAsync(Continue(listing, second.Next), CancellationToken.None);

        // 45 promoters, newest first, then the detractor: each page of 2 examines 20 of them.
        Assert.Empty(first.Records);
        Assert.Equal(Micros(Noon.AddMinutes(26)), first.Next!.Value.AnsweredAtMicros);
        Assert.Empty(second.Records);
        Assert.Equal(Micros(Noon.AddMinutes(6)), second.Next!.Value.AnsweredAtMicros);
        Assert.Equal([detractor], third.Records.Select(record => record.RecordId));
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task A_full_page_that_took_the_oldest_record_has_no_next_page_and_one_that_did_not_has()
    {
        var (db, store, product) = await SetUpAsync("exact");
        await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 3));
        await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddSeconds(1), 3));
        await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddSeconds(2), 3));

        var all = await store.ListAsync(Listing(product, pageSize: 3), CancellationToken.None);
        var some = await store.ListAsync(Listing(product, pageSize: 2), CancellationToken.None);

        Assert.Equal((3, null), (all.Records.Count, all.Next));
        Assert.Equal(2, some.Records.Count);
        Assert.NotNull(some.Next);
    }

    [Fact]
    public async Task A_page_of_long_comments_stops_before_two_MiB_and_the_next_page_goes_on_with_the_rest()
    {
        var (db, store, product) = await SetUpAsync("long");
        // 2,000 code points outside ASCII: the longest comment there is, about 12 kB of JSON each (\uXXXX).
        var comment = new string('雪', 2000);
        var ids = await RecordSeeder.AddManyAsync(db, product, Enumerable.Range(0, 400).Select(i => new SeedRecord(Noon.AddSeconds(i), 3) { Comment = comment }));
        var listing = Listing(product, pageSize: 1000);

        var pages = new List<RecordPage> { await store.ListAsync(listing, CancellationToken.None) };
        while (pages[^1].Next is { } next)
        {
            pages.Add(await store.ListAsync(Continue(listing, next), CancellationToken.None));
        }

        var json = await db.HashGetAllAsync($"nps:{{{product}}}:rec");
        var bytes = json.ToDictionary(entry => (string)entry.Name!, entry => ((byte[])entry.Value!).Length);
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages, page => Assert.InRange(page.Records.Sum(record => bytes[record.RecordId]), 1, RedisRecordStore.MaxPageBytes));
        Assert.Equal(ids.Order(), pages.SelectMany(page => page.Records).Select(record => record.RecordId).Order());
        Assert.Equal(400, pages.Sum(page => page.Records.Count));
    }

    [Fact]
    public async Task A_rare_filter_over_long_comments_reads_at_most_four_MiB_per_page_and_finds_the_rest_on_later_pages()
    {
        var (db, store, product) = await SetUpAsync("long-rare");
        var detractor = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 3) { Comment = "slow" });
        var comment = new string('雪', 2000);
        await RecordSeeder.AddManyAsync(db, product, Enumerable.Range(1, 600).Select(i => new SeedRecord(Noon.AddSeconds(i), 10) { Comment = comment }));
        var listing = Listing(product, categories: [ScoreCategory.Detractor], pageSize: 100);

        var first = await store.ListAsync(listing, CancellationToken.None);
        var second = await store.ListAsync(Continue(listing, first.Next), CancellationToken.None);

        // 600 promoters of about 12 kB: 4 MiB is about 350 of them, fewer than the 1,000 a page of 100 may examine.
        Assert.Empty(first.Records);
        Assert.InRange(first.Next!.Value.AnsweredAtMicros, Micros(Noon.AddSeconds(200)), Micros(Noon.AddSeconds(300)));
        Assert.Equal([detractor], second.Records.Select(record => record.RecordId));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task An_unknown_product_has_no_records()
    {
        var (_, store, _) = await SetUpAsync("none");

        var page = await store.ListAsync(Listing(UniqueProduct("never")), CancellationToken.None);

        Assert.Empty(page.Records);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Erasing_a_respondent_removes_its_records_index_and_stream_entries_and_their_pending_deliveries_in_every_group()
    {
        var (db, store, product) = await SetUpAsync("erase");
        var tag = $"nps:{{{product}}}";
        var hana = new[]
        {
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 2) { Respondent = "hana", Comment = "slow", Replaced = true }),
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddDays(1), 4) { Respondent = "hana", Comment = "still slow" }),
        };
        var other = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 1) { Respondent = "ola", Comment = "meh" });
        var anonymous = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 0));
        await db.HashSetAsync($"{tag}:r:hana", [new("t", "1773144000000000"), new("s", "4")]);
        // Two follow-up groups, each with every entry delivered and not acknowledged.
        foreach (var group in new[] { "care", "qa" })
        {
            await db.StreamCreateConsumerGroupAsync($"{tag}:fu", group, StreamPosition.Beginning);
            Assert.Equal(4, (await db.StreamReadGroupAsync($"{tag}:fu", group, "w1", StreamPosition.NewMessages)).Length);
        }

        var erased = await store.EraseAsync(new RespondentErasure("hana", [product]), CancellationToken.None);

        Assert.Equal(2, erased);
        Assert.Equal([other, anonymous], (await store.ListAsync(Listing(product), CancellationToken.None)).Records.Select(record => record.RecordId).Order());
        Assert.False(await db.HashExistsAsync($"{tag}:rec", hana[0]));
        Assert.Equal(2, await db.SortedSetLengthAsync($"{tag}:rec:idx"));
        var entries = await db.StreamRangeAsync($"{tag}:fu");
        Assert.Equal([other, anonymous], entries.Select(entry => (string)entry["id"]!).Order());
        foreach (var group in new[] { "care", "qa" })
        {
            var pending = await db.StreamPendingMessagesAsync($"{tag}:fu", group, 10, RedisValue.Null);
            Assert.Equal([other, anonymous], pending.Select(message => entries.Single(entry => entry.Id == message.MessageId)["id"].ToString()).Order());
        }

        var state = await db.HashGetAllAsync($"{tag}:r:hana");
        Assert.Equal(["s", "t"], state.Select(field => (string)field.Name!).Order());
        Assert.Equal(other, (string?)await db.HashGetAsync($"{tag}:r:ola", "rec"));
    }

    [Fact]
    public async Task Erasing_again_erases_nothing_and_a_respondent_without_records_or_stream_erases_nothing()
    {
        var (db, store, product) = await SetUpAsync("erase-twice");
        await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 2) { Respondent = "hana" });

        var first = await store.EraseAsync(new RespondentErasure("hana", [product]), CancellationToken.None);
        var second = await store.EraseAsync(new RespondentErasure("hana", [product]), CancellationToken.None);
        var stranger = await store.EraseAsync(new RespondentErasure("nobody", [product, UniqueProduct("empty")]), CancellationToken.None);

        Assert.Equal((1L, 0L, 0L), (first, second, stranger));
    }

    [Fact]
    public async Task Erasing_on_many_products_at_once_sums_what_each_erased()
    {
        var (db, store, _) = await SetUpAsync("erase-many");
        var products = Enumerable.Range(0, 12).Select(i => UniqueProduct($"erase-many{i}")).ToList();
        for (var i = 0; i < products.Count; i++)
        {
            for (var r = 0; r <= i % 3; r++)
            {
                await RecordSeeder.AddAsync(db, products[i], new SeedRecord(Noon.AddMinutes(r), 5) { Respondent = "hana" });
            }
        }

        var erased = await store.EraseAsync(new RespondentErasure("hana", products), CancellationToken.None);

        Assert.Equal(products.Select((_, i) => (i % 3) + 1).Sum(), erased);
        foreach (var product in products)
        {
            Assert.Empty((await store.ListAsync(Listing(product), CancellationToken.None)).Records);
        }
    }

    private async Task<(IDatabase Db, RedisRecordStore Store, string Product)> SetUpAsync(string name)
    {
        var db = await fixture.Redis.AdminAsync();
        return (db, new RedisRecordStore(db.Multiplexer, Options.Create(new RedisStoreOptions())), UniqueProduct(name));
    }

    private static PreciseInstant? Instant(long? micros) => micros is { } us ? new PreciseInstant(us / 1_000_000, (int)(us % 1_000_000) * 1000) : null;

    private static long Micros(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / 10;

    private static ResponseListing Listing(string product, long? start = null, long? end = null, ScoreCategory[]? categories = null, int pageSize = 0, string token = "")
    {
        var violations = new List<FieldViolation>();
        var listing = ResponseListing.TryParse(product, string.Empty, Instant(start), Instant(end), categories ?? [], false, pageSize, token, violations);
        Assert.Empty(violations);
        return listing!;
    }

    private static ResponseListing Continue(ResponseListing listing, RecordCursor? after) => Listing(
        listing.Filter.ProductId, listing.Filter.StartMicros, listing.Filter.EndMicros, [.. listing.Filter.Categories], listing.PageSize, listing.NextPageToken(after));
}
