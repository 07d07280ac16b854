using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.KeyTerms;

/// <summary>
/// A server whose term counts are kept 40 days after their month ends (<c>Retention:Terms</c>), records the default
/// 400 days: each month's term hashes expire then, a month past it counts no words and is not read.
/// </summary>
public sealed class TermRetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan TermRetention = TimeSpan.FromDays(40);
    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?> { ["Retention:Terms"] = "40.00:00:00" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public void Unset_the_term_retention_is_the_record_retention_in_effect()
    {
        Assert.Equal(TimeSpan.FromDays(400), new RetentionOptions().TermsKept);
        Assert.Equal(TimeSpan.FromDays(30), new RetentionOptions { DayBuckets = TimeSpan.FromDays(30) }.TermsKept);
        Assert.Equal(TimeSpan.FromDays(90), new RetentionOptions { Records = TimeSpan.FromDays(90) }.TermsKept);
        Assert.Equal(TimeSpan.FromDays(7), new RetentionOptions { Records = TimeSpan.FromDays(90), Terms = TimeSpan.FromDays(7) }.TermsKept);
    }

    [Fact]
    public async Task A_months_term_hashes_of_every_category_expire_the_term_retention_after_the_month_ends()
    {
        var product = UniqueProduct("term-expiry");
        var at = DateTimeOffset.UtcNow.AddSeconds(-10);
        await SubmitAsync(
            Answer(product, 2).Saying("slow support").AnsweredAt(at),
            Answer(product, 8).Saying("fine app").AnsweredAt(at),
            Answer(product, 10).By("ada").Saying("love the reports").AnsweredAt(at));
        // Again, into hashes that hold stems now: their expiry stays.
        await SubmitAsync(Answer(product, 3).Saying("slow again").AnsweredAt(at), Answer(product, 10).By("bea").Saying("love it").AnsweredAt(at));

        var month = Month(at);
        var expected = ExpiryOf(at);
        Assert.Equal(
            [expected, expected, expected, expected],
            [await ExpireTimeAsync(product, $"t:D:{month}"), await ExpireTimeAsync(product, $"t:N:{month}"),
             await ExpireTimeAsync(product, $"t:P:{month}"), await ExpireTimeAsync(product, $"tf:{month}")]);
    }

    [Fact]
    public async Task A_months_surface_hash_first_written_after_comments_without_terms_gets_its_expiry()
    {
        var product = UniqueProduct("term-expiry-stemless");
        var at = DateTimeOffset.UtcNow.AddSeconds(-10);
        var month = Month(at);
        // Stop words only: the detractors' hash counts the comment and holds no stem, and no surface hash is written.
        await SubmitAsync(Answer(product, 2).Saying("it is the").AnsweredAt(at));
        Assert.Equal(-2, await ExpireTimeAsync(product, $"tf:{month}"));

        await SubmitAsync(Answer(product, 2).Saying("slow").AnsweredAt(at));

        Assert.Equal(ExpiryOf(at), await ExpireTimeAsync(product, $"t:D:{month}"));
        Assert.Equal(ExpiryOf(at), await ExpireTimeAsync(product, $"tf:{month}"));
    }

    [Fact]
    public async Task A_term_hash_written_before_term_counts_expired_gets_its_expiry_when_next_written()
    {
        var product = UniqueProduct("term-expiry-legacy");
        var at = DateTimeOffset.UtcNow.AddSeconds(-10);
        var month = Month(at);
        var db = await _redis.AdminAsync();
        // As an earlier version left them: stems, and no expiry.
        await TermHashes.WriteCountsAsync(db, product, 'D', month, 2, ("slow", 5), ("app", 3));
        await TermHashes.WriteSurfacesAsync(db, product, month, ("slow slow", 5), ("app app", 3));
        Assert.Equal(-1, await ExpireTimeAsync(product, $"t:D:{month}"));

        await SubmitAsync(Answer(product, 1).Saying("slow").AnsweredAt(at));

        Assert.Equal(ExpiryOf(at), await ExpireTimeAsync(product, $"t:D:{month}"));
        Assert.Equal(ExpiryOf(at), await ExpireTimeAsync(product, $"tf:{month}"));
        Assert.Equal(6, (long)await db.HashGetAsync($"nps:{{{product}}}:t:D:{month}", "slow"));
        Assert.Equal(3, (long)await db.HashGetAsync($"nps:{{{product}}}:t:D:{month}", "#comments"));
    }

    [Fact]
    public async Task An_answer_for_a_month_past_the_term_retention_is_counted_and_recorded_but_leaves_no_term_hash()
    {
        var product = UniqueProduct("term-expired-month");
        // Three months back, that month ended at least 59 days ago: past 40 days, within the records' 400.
        var thisMonth = DateOnly.FromDateTime(DateTime.UtcNow);
        var old = new DateOnly(thisMonth.Year, thisMonth.Month, 1).AddMonths(-3);
        await SubmitAsync(
            Answer(product, 2).Saying("slow support").AnsweredOn(old.AddDays(14)),
            Answer(product, 10).By("cy").Saying("love the reports").AnsweredOn(old.AddDays(14)));

        var db = await _redis.AdminAsync();
        var terms = await _server.Client.GetKeyTermsAsync(new GetKeyTermsRequest
        {
            ProductId = product,
            StartTime = Time.Day(old),
            EndTime = Time.Day(old.AddMonths(1)),
        });

        Assert.Empty(await TermKeysAsync(product));
        Assert.Equal(2, (await db.HashGetAllAsync($"nps:{{{product}}}:rec")).Length);
        Assert.Equal(2, (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score.Total);
        Assert.Equal((0L, 0L), (terms.DetractorCommentCount, terms.PromoterCommentCount));
    }

    [Fact]
    public async Task Replacing_an_answer_whose_months_terms_have_expired_since_recreates_no_term_hash()
    {
        var product = UniqueProduct("term-expired-since");
        var at = DateTimeOffset.UtcNow.AddSeconds(-20);
        var month = Month(at);
        await SubmitAsync(Answer(product, 2).By("dan").Saying("slow support").AnsweredAt(at));
        var db = await _redis.AdminAsync();
        // What Redis does when their expiry passes.
        await db.KeyDeleteAsync([$"nps:{{{product}}}:t:D:{month}", $"nps:{{{product}}}:tf:{month}"]);

        var ack = await SubmitAsync(Answer(product, 10).By("dan").Saying("love it").AnsweredAt(at.AddSeconds(5)));

        Assert.Equal([ResponseOutcome.Replaced], ack.AllOutcomes());
        Assert.False(await db.KeyExistsAsync($"nps:{{{product}}}:t:D:{month}"));
        // "love it": one comment, one term (the stop word goes).
        var promoters = await db.HashGetAllAsync($"nps:{{{product}}}:t:P:{month}");
        Assert.Equal(["#comments=1", "#terms=1"], promoters.Where(entry => ((string)entry.Name!).StartsWith('#')).Select(entry => $"{entry.Name}={entry.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(3, promoters.Length);
        Assert.Equal(
            [$"t:P:{month}", $"tf:{month}"],
            (await TermKeysAsync(product)).Select(key => key[(key.IndexOf('}', StringComparison.Ordinal) + 2)..]).Order(StringComparer.Ordinal));
        foreach (var key in await TermKeysAsync(product))
        {
            Assert.Equal(ExpiryOf(at), (long)await db.ExecuteAsync("PEXPIRETIME", key));
        }
    }

    [Fact]
    public async Task Key_terms_count_nothing_of_the_months_past_the_term_retention()
    {
        var product = UniqueProduct("term-expired-read");
        await SubmitAsync(Answer(product, 9));
        var thisMonth = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var old = thisMonth.AddMonths(-3);
        var db = await _redis.AdminAsync();
        // The old month's counts were written before term counts expired and never since: still there, with no expiry.
        await TermHashes.WriteCountsAsync(db, product, 'D', Month(old), 3, ("refund", 50), ("app", 50));
        await TermHashes.WriteCountsAsync(db, product, 'D', Month(thisMonth), 3, ("slow", 30), ("app", 70));
        await TermHashes.WriteCountsAsync(db, product, 'P', Month(thisMonth), 3, ("app", 100));

        var reachingBack = await _server.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product, StartTime = Timestamp.FromDateTime(old) });
        var whollyPast = await _server.Client.GetKeyTermsAsync(new GetKeyTermsRequest
        {
            ProductId = product,
            StartTime = Timestamp.FromDateTime(old),
            EndTime = Timestamp.FromDateTime(old.AddMonths(1)),
        });

        Assert.Equal(["slow"], reachingBack.DetractorTerms.Select(term => term.Term));
        Assert.Equal(3, reachingBack.DetractorCommentCount);
        Assert.Empty(whollyPast.DetractorTerms);
        Assert.Empty(whollyPast.PromoterTerms);
        Assert.Equal((0L, 0L, 0L), (whollyPast.DetractorCommentCount, whollyPast.PassiveCommentCount, whollyPast.PromoterCommentCount));
    }

    private async Task<SubmitResponsesResponse> SubmitAsync(params SurveyResponse[] responses) =>
        (await SubmissionStream.SubmitAllAsync(_server.Client, Batch(responses))).Single();

    /// <summary>The product's term hashes: <c>t:…</c> and <c>tf:…</c>.</summary>
    private async Task<IReadOnlyList<string>> TermKeysAsync(string product)
    {
        var keys = (RedisResult[])(await (await _redis.AdminAsync()).ExecuteAsync("KEYS", $"nps:{{{product}}}:t*"))!;
        return [.. keys.Select(key => (string)key!)];
    }

    /// <summary>PEXPIRETIME: when the key expires in ms since 1970; -1 for none, -2 for no key.</summary>
    private async Task<long> ExpireTimeAsync(string product, string suffix) =>
        (long)await (await _redis.AdminAsync()).ExecuteAsync("PEXPIRETIME", $"nps:{{{product}}}:{suffix}");

    /// <summary>When the term counts of <paramref name="answeredAt"/>'s month expire: at the month's end plus the retention.</summary>
    private static long ExpiryOf(DateTimeOffset answeredAt)
    {
        var month = new DateTimeOffset(answeredAt.UtcDateTime.Year, answeredAt.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (month.AddMonths(1) + TermRetention).ToUnixTimeMilliseconds();
    }

    private static string Month(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Month(DateTime month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
