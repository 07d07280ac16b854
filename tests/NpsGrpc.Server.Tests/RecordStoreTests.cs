using System.Globalization;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Redis;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// The store's key-term counts and record trimming, driven through the real fold and the real apply script with a
/// clock and rules of the test's choosing (the server registers no analyzer until the Lucene one lands, so terms are
/// counted here with <see cref="SpaceAnalyzer"/>).
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class RecordStoreTests(ScoringServerFixture fixture) : IAsyncLifetime
{
    private static readonly DayRetention DayRetention = new(TimeSpan.FromDays(36500));
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Vocabulary = ["slow", "slows", "support", "love", "loves", "easy", "price", "app", "crash", "crashes", "Slow"];
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        _db = await fixture.Redis.AdminAsync();
    }

    public async Task DisposeAsync() => await _connection.CloseWithoutQuitAsync();

    [Fact]
    public async Task Term_counts_equal_a_recount_of_the_counted_comments_through_replacements_late_answers_and_re_sent_batches()
    {
        var product = UniqueProduct("recount");
        var answers = new List<SurveyAnswer>();
        for (var i = 0; i < 200; i++)
        {
            var month = 9 + (i % 3);
            answers.Add(Commented(product, i % 11, new DateTimeOffset(2026, month, 1 + (i % 20), 12, 0, 0, TimeSpan.Zero), i % 7 == 0 ? null : CommentOf(i)));
        }

        for (var i = 0; i < 100; i++)
        {
            // Unique times per respondent, out of order: later batches bring earlier answers (superseded) and later ones (replacing).
            var answeredAt = new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.Zero).AddHours(12 * ((i * 37) % 100));
            answers.Add(Commented(product, (i * 3) % 11, answeredAt, i % 5 == 0 ? null : CommentOf(1000 + i)) with { RespondentId = $"resp-{i % 20}" });
        }

        // A fixed shuffle (7919 is prime to 301), so respondents' answers reach the store out of time order.
        var shuffled = answers.Select((answer, i) => (answer, i)).OrderBy(pair => pair.i * 7919 % 301).Select(pair => pair.answer).ToList();
        var store = Store();
        for (var batch = 0; batch * 50 < shuffled.Count; batch++)
        {
            var folded = BatchFolder.Fold([.. shuffled.Skip(batch * 50).Take(50)], Context(Now));
            Assert.Empty(folded.Rejections);
            var writer = new WriterStamp("recount-writer", batch + 1);
            await new IngestionCommitter(store).ApplyAsync(writer, folded.Products, null);
            // Every other batch is delivered twice: the second delivery is a duplicate and counts no word again.
            if (batch % 2 == 0)
            {
                Assert.True((await new IngestionCommitter(store).ApplyAsync(writer, folded.Products, null)).IsDuplicate);
            }
        }

        var counted = answers.Where(answer => answer.RespondentId is null)
            .Concat(answers.Where(answer => answer.RespondentId is not null).GroupBy(answer => answer.RespondentId).Select(group => group.MaxBy(answer => answer.AnsweredAt)))
            .Where(answer => answer.Comment is not null)
            .ToList();
        var (stems, surfaces) = Recount(counted);
        Assert.True(stems.Count >= 9, "The corpus should cover three categories in three months.");
        foreach (var month in new[] { "2026-08", "2026-09", "2026-10", "2026-11", "2026-12" })
        {
            foreach (var category in Enum.GetValues<ScoreCategory>())
            {
                var expected = stems.GetValueOrDefault((category, month)) ?? [];
                Assert.Equal(Sorted(expected), await HashAsync(Layout.Terms(product, category, month)));
            }

            Assert.Equal(Sorted(surfaces.GetValueOrDefault(month) ?? []), await HashAsync(Layout.TermSurfaces(product, month)));
        }
    }

    [Fact]
    public async Task A_month_takes_no_new_stem_past_the_cap_while_known_stems_keep_counting_and_a_replaced_answer_takes_out_exactly_what_it_counted()
    {
        var product = UniqueProduct("term-cap");
        var rules = RecordRules.Default with { Retention = DayRetention.Retention, TermsPerMonth = 3 };
        var day = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var store = Store();
        var key = Layout.Terms(product, ScoreCategory.Detractor, "2026-11");

        await ApplyAsync(store, Context(Now, rules), Commented(product, 1, day, "alpha beta gamma delta"));
        var first = await HashAsync(key);
        await ApplyAsync(store, Context(Now, rules), Commented(product, 2, day, "alpha epsilon"), Commented(product, 3, day, "delta zeta"));
        var second = await HashAsync(key);
        await ApplyAsync(store, Context(Now, rules), Commented(product, 4, day, "beta eta alpha") with { RespondentId = "rita" });
        var withRita = await HashAsync(key);
        await ApplyAsync(store, Context(Now, rules), Commented(product, 9, day.AddHours(1), "love") with { RespondentId = "rita" });

        var held = first.Where(pair => !pair.Key.StartsWith('#')).Select(pair => pair.Key).ToList();
        Assert.Equal(3, held.Count);
        Assert.Equal(["#comments=1", "#terms=3"], first.Where(pair => pair.Key.StartsWith('#')).Select(pair => $"{pair.Key}={pair.Value}"));
        Assert.Equal(held.Order(StringComparer.Ordinal), second.Keys.Where(stem => !stem.StartsWith('#')).Order(StringComparer.Ordinal));
        Assert.Equal(3, second["#comments"]);
        Assert.Equal(second.Where(pair => !pair.Key.StartsWith('#')).Sum(pair => pair.Value), second["#terms"]);
        Assert.Equal(held.Order(StringComparer.Ordinal), withRita.Keys.Where(stem => !stem.StartsWith('#')).Order(StringComparer.Ordinal));
        Assert.Equal(4, withRita["#comments"]);
        Assert.Equal(second, await HashAsync(key));
        Assert.Equal(new Dictionary<string, long> { ["#comments"] = 1, ["#terms"] = 1, ["love"] = 1 }, await HashAsync(Layout.Terms(product, ScoreCategory.Promoter, "2026-11")));
        var surfaces = await HashAsync(Layout.TermSurfaces(product, "2026-11"));
        Assert.All(surfaces.Keys, field => Assert.Contains(field.Split(' ')[0], held.Append("love")));
    }

    [Fact]
    public async Task A_term_hash_of_another_type_fails_the_product_and_leaves_its_tallies_records_and_terms_as_they_were()
    {
        var product = UniqueProduct("foreign-terms");
        var day = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        await _db.StringSetAsync(Layout.Terms(product, ScoreCategory.Promoter, "2026-11"), "not mine");
        var batch = BatchFolder.Fold([Commented(product, 1, day, "slow app"), Commented(product, 10, day, "love it")], Context(Now));

        await Assert.ThrowsAsync<RedisServerException>(() => new IngestionCommitter(Store()).ApplyAsync(null, batch.Products, null));

        foreach (var key in new RedisKey[] { Layout.All(product), Layout.Records(product), Layout.RecordCounter(product), Layout.FollowUps(product), Layout.Terms(product, ScoreCategory.Detractor, "2026-11"), Layout.TermSurfaces(product, "2026-11") })
        {
            Assert.False(await _db.KeyExistsAsync(key), key.ToString());
        }
    }

    [Fact]
    public async Task Records_beyond_the_cap_are_trimmed_oldest_first_from_the_records_the_index_and_the_stream_however_many_a_script_writes()
    {
        var product = UniqueProduct("trim-cap");
        var rules = RecordRules.Default with { Retention = DayRetention.Retention, MaxPerProduct = 10 };
        var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var store = Store();

        await ApplyAsync(store, Context(Now, rules), [.. Enumerable.Range(0, 100).Select(i => Commented(product, 2, start.AddMinutes(i), $"n{i:D3}"))]);
        var afterFirst = await StoredRecords.ReadAsync(_db, product);
        await ApplyAsync(store, Context(Now, rules), Commented(product, 2, start.AddMinutes(-5), "older than all"));

        var records = await StoredRecords.ReadAsync(_db, product);
        Assert.Equal(Enumerable.Range(90, 10).Select(i => $"n{i:D3}"), afterFirst.Select(record => record.Comment).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(90, 10).Select(i => $"n{i:D3}"), records.Select(record => record.Comment).Order(StringComparer.Ordinal));
        Assert.Equal(records.Select(StoredRecords.Member).Order(StringComparer.Ordinal), await StoredRecords.IndexAsync(_db, product));
        Assert.Equal(records.Select(record => record.StreamId).Order(StringComparer.Ordinal), (await StoredRecords.StreamAsync(_db, product)).Select(entry => entry.EntryId).Order(StringComparer.Ordinal));
        Assert.Equal(101, (long)await _db.StringGetAsync(Layout.RecordCounter(product)));
    }

    [Fact]
    public async Task A_trimmed_record_leased_to_a_follow_up_worker_leaves_its_groups_pending_list_too()
    {
        var product = UniqueProduct("trim-leased");
        var rules = RecordRules.Default with { Retention = DayRetention.Retention, MaxPerProduct = 10 };
        var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var store = Store();
        var stream = Layout.FollowUps(product);
        await ApplyAsync(store, Context(Now, rules), [.. Enumerable.Range(0, 10).Select(i => Commented(product, 2, start.AddMinutes(i), $"n{i:D3}"))]);
        // Two groups; the first has leased the four oldest records, the second none.
        await _db.StreamCreateConsumerGroupAsync(stream, "care", "0");
        await _db.StreamCreateConsumerGroupAsync(stream, "sales", "0");
        var leased = await _db.StreamReadGroupAsync(stream, "care", "worker-1", ">", count: 4);

        await ApplyAsync(store, Context(Now, rules), [.. Enumerable.Range(10, 3).Select(i => Commented(product, 2, start.AddMinutes(i), $"n{i:D3}"))]);

        var kept = (await StoredRecords.StreamAsync(_db, product)).Select(entry => entry.EntryId).ToHashSet();
        var pending = await _db.StreamPendingMessagesAsync(stream, "care", 100, "worker-1");
        Assert.Equal(10, kept.Count);
        Assert.Equal(4, leased.Length);
        // The three oldest went with the trim; the fourth is still leased.
        Assert.Equal([(string)leased[3].Id!], pending.Select(message => (string)message.MessageId!));
        Assert.Equal(1, (await _db.StreamPendingAsync(stream, "care")).PendingMessageCount);
        Assert.Equal(0, (await _db.StreamPendingAsync(stream, "sales")).PendingMessageCount);
        Assert.All(pending, message => Assert.Contains((string)message.MessageId!, kept));
    }

    [Fact]
    public async Task A_backlog_over_a_lowered_cap_drains_by_64_more_than_each_script_records()
    {
        var product = UniqueProduct("trim-backlog");
        var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var store = Store();
        await ApplyAsync(store, Context(Now, RecordRules.Default with { Retention = DayRetention.Retention }),
            [.. Enumerable.Range(0, 100).Select(i => Commented(product, 2, start.AddMinutes(i), $"n{i:D3}"))]);
        var lowered = RecordRules.Default with { Retention = DayRetention.Retention, MaxPerProduct = 10 };

        await ApplyAsync(store, Context(Now, lowered), Commented(product, 2, start.AddDays(1), "first after"));
        var afterOne = await StoredRecords.ReadAsync(_db, product);
        await ApplyAsync(store, Context(Now, lowered), Commented(product, 2, start.AddDays(2), "second after"));

        var records = await StoredRecords.ReadAsync(_db, product);
        Assert.Equal(Enumerable.Range(65, 35).Select(i => $"n{i:D3}").Append("first after").Order(StringComparer.Ordinal), afterOne.Select(record => record.Comment).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(92, 8).Select(i => $"n{i:D3}").Append("first after").Append("second after").Order(StringComparer.Ordinal), records.Select(record => record.Comment).Order(StringComparer.Ordinal));
        Assert.Equal(10, (await StoredRecords.StreamAsync(_db, product)).Count);
    }

    [Fact]
    public async Task Records_answered_before_the_retention_are_trimmed_by_the_next_script_that_records()
    {
        var product = UniqueProduct("trim-time");
        var rules = RecordRules.Default with { Retention = TimeSpan.FromDays(30) };
        var store = Store();

        await ApplyAsync(store, Context(Now, rules), Commented(product, 1, Now.AddDays(-20), "old"), Commented(product, 1, Now.AddDays(-10), "recent"));
        var before = await StoredRecords.ReadAsync(_db, product);
        // Fifteen days on, the first answer is 35 days old; a batch that records nothing trims nothing.
        await ApplyAsync(store, Context(Now.AddDays(15), rules), Commented(product, 10, Now.AddDays(15), null));
        var unrecorded = await StoredRecords.ReadAsync(_db, product);
        await ApplyAsync(store, Context(Now.AddDays(15), rules), Commented(product, 0, Now.AddDays(15), null));

        var records = await StoredRecords.ReadAsync(_db, product);
        Assert.Equal(["old", "recent"], before.Select(record => record.Comment));
        Assert.Equal(2, unrecorded.Count);
        Assert.Equal(["recent", null], records.Select(record => record.Comment));
        Assert.Equal(2, (await StoredRecords.StreamAsync(_db, product)).Count);
        Assert.Equal(records.Select(StoredRecords.Member), await StoredRecords.IndexAsync(_db, product));
    }

    private static readonly RedisKeyLayout Layout = new("nps");

    private RedisScoreStore Store() => new(_connection, Options.Create(new RedisStoreOptions()), DayRetention);

    private static FoldContext Context(DateTimeOffset now, RecordRules? rules = null) =>
        new(now, DayRetention) { Analyzer = new SpaceAnalyzer(), Records = rules ?? RecordRules.Default with { Retention = DayRetention.Retention } };

    private static async Task ApplyAsync(RedisScoreStore store, FoldContext context, params SurveyAnswer[] answers)
    {
        var folded = BatchFolder.Fold(answers, context);
        Assert.Empty(folded.Rejections);
        await new IngestionCommitter(store).ApplyAsync(null, folded.Products, null);
    }

    private static SurveyAnswer Commented(string product, int score, DateTimeOffset answeredAt, string? comment) =>
        new(product, score, new Dictionary<string, string>(), answeredAt, Comment: comment);

    private static string CommentOf(int seed) =>
        string.Join(' ', Enumerable.Range(0, 1 + (seed % 6)).Select(k => Vocabulary[((seed * 7) + (k * 3)) % Vocabulary.Length]));

    /// <summary>What the term hashes must hold for these comments, counted here from the raw text.</summary>
    private static (Dictionary<(ScoreCategory, string), Dictionary<string, long>> Stems, Dictionary<string, Dictionary<string, long>> Surfaces) Recount(
        IEnumerable<SurveyAnswer> counted)
    {
        var stems = new Dictionary<(ScoreCategory, string), Dictionary<string, long>>();
        var surfaces = new Dictionary<string, Dictionary<string, long>>();
        foreach (var answer in counted)
        {
            var month = answer.AnsweredAt!.Value.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var key = (ScoreClassifier.Classify(answer.Score!.Value), month);
            var hash = stems.TryGetValue(key, out var found) ? found : stems[key] = [];
            var words = answer.Comment!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            hash["#comments"] = hash.GetValueOrDefault("#comments") + 1;
            hash["#terms"] = hash.GetValueOrDefault("#terms") + words.Length;
            var monthSurfaces = surfaces.TryGetValue(month, out var existing) ? existing : surfaces[month] = [];
            foreach (var word in words)
            {
                hash[SpaceAnalyzer.Stem(word)] = hash.GetValueOrDefault(SpaceAnalyzer.Stem(word)) + 1;
                var field = $"{SpaceAnalyzer.Stem(word)} {word.ToLowerInvariant()}";
                monthSurfaces[field] = monthSurfaces.GetValueOrDefault(field) + 1;
            }
        }

        return (stems, surfaces);
    }

    private static SortedDictionary<string, long> Sorted(Dictionary<string, long> hash) => new(hash, StringComparer.Ordinal);

    private async Task<SortedDictionary<string, long>> HashAsync(RedisKey key) =>
        new((await _db.HashGetAllAsync(key)).ToDictionary(entry => (string)entry.Name!, entry => (long)entry.Value), StringComparer.Ordinal);
}
