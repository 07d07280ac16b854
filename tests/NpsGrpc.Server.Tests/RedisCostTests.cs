using Grpc.Health.V1;
using NpsGrpc.V1;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Counts the commands the server under test sends Redis for one request: those of its own connections (known by
/// their client name) and of the scripts they call, seen through MONITOR, so that no other connection's handshake
/// or keep-alive can count.
/// </summary>
public sealed class RedisCostTests : IAsyncLifetime
{
    private const string ServerClientName = "nps-server-under-measurement";

    // What the server's multiplexer sends by itself, never for a request: keep-alive and topology checks, and the
    // handshake of its subscription connection, which may still be under way when a window opens.
    private static readonly string[] Housekeeping =
        ["ping", "echo", "info", "cluster|nodes", "cluster|slots", "config|get", "hello", "client|setname", "client|setinfo", "client|id", "subscribe"];

    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration + ",name=" + ServerClientName);
        // Serving means a PING went through the server's connection, so its handshake is over before any window.
        await HealthProbe.WaitForAsync(_server.Channel, HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_of_1000_responses_for_one_product_costs_one_script_that_reads_and_writes_each_tally_once()
    {
        var product = UniqueProduct("folded");
        var batch = Batch(Enumerable.Range(0, 1000).Select(i => Answer(product, i % 11, ("region", "eu"), ("plan", "pro"))), "cost-writer", 1);

        var calls = await CommandsSentForAsync(() => SubmissionStream.SubmitAllAsync(_server.Client, batch));

        Assert.Equal(1, calls.GetValueOrDefault("eval") + calls.GetValueOrDefault("evalsha"));
        // Eleven scores changed in each of nine hashes: all time, this month and today, for the product,
        // region=eu and plan=pro. A hash that three or more scores change is read and written whole (an HINCRBY
        // per score would be 99 commands); the day hashes get their expiry, the labels set its two members. (Two
        // HSETs more are the records of the 637 detractors, in slices of 500.)
        Assert.Equal((9, 9 + 2, 0), (calls.GetValueOrDefault("hmget"), calls.GetValueOrDefault("hset"), calls.GetValueOrDefault("hincrby")));
        Assert.Equal(3, calls.GetValueOrDefault("pexpireat"));
        Assert.Equal(1, calls.GetValueOrDefault("sadd"));
        // And one change notice for live scores, on the product's sharded channel, per script.
        Assert.Equal(1, calls.GetValueOrDefault("spublish"));
    }

    [Fact]
    public async Task A_batch_over_several_products_publishes_one_change_notice_per_product_not_per_response()
    {
        var products = Enumerable.Range(0, 3).Select(i => UniqueProduct($"notice{i}")).ToList();
        var batch = Batch(products.SelectMany(product => Enumerable.Range(0, 300).Select(i => Answer(product, i % 11))), "notice-writer", 1);

        var calls = await CommandsSentForAsync(() => SubmissionStream.SubmitAllAsync(_server.Client, batch));

        Assert.Equal(3, calls.GetValueOrDefault("eval") + calls.GetValueOrDefault("evalsha"));
        Assert.Equal(3, calls.GetValueOrDefault("spublish"));
    }

    [Fact]
    public async Task A_batch_that_records_adds_one_stream_entry_per_record_and_a_fixed_handful_of_commands_for_all_its_records()
    {
        var product = UniqueProduct("recording");
        var batch = Batch(Enumerable.Range(0, 1000).Select(i => Answer(product, i % 7, ("region", "eu")).Saying($"comment {i}")), "recording-writer", 1);

        var calls = await CommandsSentForAsync(() => SubmissionStream.SubmitAllAsync(_server.Client, batch));

        // The tallies as for any batch: seven scores changed in six hashes, each read and written whole; two day hashes
        // get their expiry. The words, folded: all detractors, so one month hash gets the one stem "comment" (numbers
        // are not terms), #comments and #terms, and the month's surface hash one field; both hashes are new, so they
        // get their expiry too (once: see the next test).
        Assert.Equal(4, calls.GetValueOrDefault("hincrby"));
        Assert.Equal(2 + 2, calls.GetValueOrDefault("pexpireat"));
        Assert.Equal(1, calls.GetValueOrDefault("sadd"));
        // The records: the labels set, the records hash and the index read first (their types proved), one INCRBY for
        // every id, an XADD each, the JSON and the index members in slices of 500, and one look for expired records;
        // one HLEN more is the term hash's size, far from the cap, so no stem is looked up. (Six of the HSETs and the
        // HMGETs are the tallies'.)
        Assert.Equal(
            new Dictionary<string, long> { ["scard"] = 1, ["hlen"] = 2, ["zcard"] = 1, ["incrby"] = 1, ["xadd"] = 1000, ["hset"] = 2 + 6, ["hmget"] = 6, ["zadd"] = 2, ["zrangebylex"] = 1 },
            calls.Where(pair => pair.Key is "scard" or "hlen" or "zcard" or "incrby" or "xadd" or "hset" or "zadd" or "zrangebylex" or "zrange" or "hmget" or "xdel" or "hdel" or "zrem" or "hexists")
                .ToDictionary(pair => pair.Key, pair => pair.Value));
    }

    [Fact]
    public async Task A_batch_that_adds_words_to_a_months_term_hashes_leaves_their_expiry_alone()
    {
        var product = UniqueProduct("term-expiry-once");
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 2).Saying("slow support")], "term-expiry-writer", 1));

        // New words and known ones into the same month's hashes, which hold stems and have their expiry: the size read
        // for the cap is all it takes to know. (The same score again: a new field of the day tally would set its expiry.)
        var calls = await CommandsSentForAsync(() => SubmissionStream.SubmitAllAsync(
            _server.Client, Batch([Answer(product, 2).Saying("slow refund"), Answer(product, 2).Saying("support")], "term-expiry-writer", 2)));

        // Two sizes read: the records hash's, and the detractors' term hash's once for both comments.
        Assert.Equal(2, calls.GetValueOrDefault("hlen"));
        Assert.Equal(0, calls.GetValueOrDefault("pexpireat"));
        Assert.Equal(0, calls.GetValueOrDefault("ttl") + calls.GetValueOrDefault("pttl") + calls.GetValueOrDefault("pexpiretime") + calls.GetValueOrDefault("exists"));
    }

    [Fact]
    public async Task A_batch_that_creates_no_field_of_a_day_tally_leaves_its_expiry_alone()
    {
        var product = UniqueProduct("expiry-once");
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch(Enumerable.Range(0, 11).Select(i => Answer(product, i, ("plan", "pro"))), "expiry-writer", 1));

        // The same scores and labels again: every field of every tally exists already.
        var calls = await CommandsSentForAsync(() =>
            SubmissionStream.SubmitAllAsync(_server.Client, Batch(Enumerable.Range(0, 11).Select(i => Answer(product, i, ("plan", "pro"))), "expiry-writer", 2)));

        // Eleven scores in each of six hashes, each read and written whole (one HSET more: the records of the seven
        // detractors).
        Assert.Equal((6, 6 + 1), (calls.GetValueOrDefault("hmget"), calls.GetValueOrDefault("hset")));
        Assert.Equal(0, calls.GetValueOrDefault("pexpireat"));
        Assert.Equal(0, calls.GetValueOrDefault("type"));
        Assert.Equal(22, (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score.Total);
    }

    [Fact]
    public async Task A_returning_respondents_answer_in_a_busy_products_batch_moves_its_tallies_without_a_command_of_its_own()
    {
        var product = UniqueProduct("respondent-folded");
        // Yesterday, so that both batches and their answers fall on one day whenever the test runs.
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 3, ("region", "eu")).By("returning").AnsweredOn(day, 9)], "returning-writer", 1));

        // The respondent changes their mind (3 -> 9) in a batch whose other answers change every score of the same
        // six tallies (all time, the month and the day, for the product and region=eu).
        var calls = await CommandsSentForAsync(() => SubmissionStream.SubmitAllAsync(_server.Client, Batch(
            Enumerable.Range(0, 110).Select(i => Answer(product, i % 11, ("region", "eu")).AnsweredOn(day, 10))
                .Append(Answer(product, 9, ("region", "eu")).By("returning").AnsweredOn(day, 11)),
            "returning-writer",
            2)));

        // Its -1 on score 3 and +1 on score 9 are in the six tallies' whole writes: not one HINCRBY.
        Assert.Equal(0, calls.GetValueOrDefault("hincrby"));
        var score = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "region=eu" })).Score;
        Assert.Equal(111, score.Total);
        Assert.Equal(10, score.Distribution[3]);
        Assert.Equal(11, score.Distribution[9]);
    }

    [Fact]
    public async Task A_respondent_giving_the_same_score_again_the_same_day_writes_no_tally()
    {
        var product = UniqueProduct("respondent-same");
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 7, ("plan", "pro")).By("steady").AnsweredOn(day, 9)], "steady-writer", 1));

        var calls = await CommandsSentForAsync(() => SubmissionStream.SubmitAllAsync(
            _server.Client, Batch([Answer(product, 7, ("plan", "pro")).By("steady").AnsweredOn(day, 15)], "steady-writer", 2)));

        // Its -1 and +1 cancel out in every tally: the one write is the respondent's state (a passive is not recorded).
        Assert.Equal(0, calls.GetValueOrDefault("hincrby"));
        Assert.Equal(1, calls.GetValueOrDefault("hset"));
        var score = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "plan=pro" })).Score;
        Assert.Equal((1, 1), (score.Total, score.Passives));
    }

    [Fact]
    public async Task Reading_a_score_is_one_command_however_many_responses_were_counted()
    {
        var product = UniqueProduct("one-read");
        using (var stream = new SubmissionStream(_server.Client))
        {
            for (var sequence = 1; sequence <= 20; sequence++)
            {
                await stream.SubmitAsync(Batch(Mix(product, 500, 300, 200), "reader-cost", sequence));
            }

            await stream.CompleteAsync();
        }

        Score score = null!;
        var calls = await CommandsSentForAsync(async () =>
            score = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = string.Empty })).Score);

        Assert.Equal(20_000, score.Total);
        Assert.Equal(new Dictionary<string, long> { ["hmget"] = 1 }, calls);
    }

    public static TheoryData<string, string, int> Intervals()
    {
        // Ragged ends must stay inside the default 400-day retention whatever day the suite runs.
        var thisMonth = DateOnly.FromDateTime(DateTime.UtcNow);
        thisMonth = new DateOnly(thisMonth.Year, thisMonth.Month, 1);
        var raggedStart = thisMonth.AddMonths(-12).AddDays(16);
        var raggedEnd = thisMonth.AddMonths(-1).AddDays(8);
        var startMonthDays = DateTime.DaysInMonth(raggedStart.Year, raggedStart.Month) - 16;
        return new TheoryData<string, string, int>
        {
            { "2016-01-01", "2026-01-01", 120 },
            { Iso(raggedStart), Iso(raggedEnd), startMonthDays + 10 + 8 },
            { "2025-03-01", "2025-04-01", 1 },
        };
    }

    [Theory]
    [MemberData(nameof(Intervals))]
    public async Task A_score_over_an_interval_is_one_script_reading_one_hash_per_month_or_ragged_day(string start, string end, int buckets)
    {
        var product = UniqueProduct("interval-cost");
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch(Mix(product, 5, 3, 2)));

        var calls = await CommandsSentForAsync(async () => await _server.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Time.At(start + "T00:00:00Z"),
            EndTime = Time.At(end + "T00:00:00Z"),
        }));

        Assert.Equal(1, calls.GetValueOrDefault("eval") + calls.GetValueOrDefault("evalsha"));
        Assert.Equal(buckets, calls.GetValueOrDefault("hmget"));
        Assert.Equal(1, calls.GetValueOrDefault("exists"));
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The commands the server's connections (and their scripts) sent Redis while <paramref name="request"/> ran.</summary>
    private async Task<Dictionary<string, long>> CommandsSentForAsync(Func<Task> request)
    {
        using var log = await RedisCommandLog.StartAsync(_redis.Port, ServerClientName, Housekeeping);
        await request();
        return await log.StopAsync();
    }
}
