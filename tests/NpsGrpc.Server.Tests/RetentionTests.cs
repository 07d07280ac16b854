using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>A server whose day tallies live two seconds after their day ends.</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(2);
    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?> { ["Retention:DayBuckets"] = "00:00:02" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Asking_for_expired_days_is_FAILED_PRECONDITION_never_a_silently_smaller_score()
    {
        var product = UniqueProduct("expired");
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 10).AnsweredOn(yesterday)]));

        var exception = await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Time.Day(yesterday),
            EndTime = Time.Day(yesterday.AddDays(1)),
        }).ResponseAsync);

        var info = StatusAssertions.ErrorInfo(exception, StatusCode.FailedPrecondition, ErrorReason.DayTalliesExpired);
        Assert.Equal(yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), info.Metadata["firstRequestedDay"]);
        Assert.True(DateOnly.ParseExact(info.Metadata["oldestRetainedDay"], "yyyy-MM-dd") > yesterday, info.Metadata["oldestRetainedDay"]);
        Assert.Contains("have expired", exception.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("first day of a month", exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_on_an_expired_day_still_counts_in_its_month_and_all_time()
    {
        var product = UniqueProduct("old-answer");
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var month = new DateOnly(yesterday.Year, yesterday.Month, 1);
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 10).AnsweredOn(yesterday)]));

        var monthScore = (await _server.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Time.Day(month),
            EndTime = Time.Day(month.AddMonths(1)),
        })).Score;
        var allTime = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var admin = await _redis.AdminAsync();

        Assert.Equal(1, monthScore.Total);
        Assert.Equal(1, allTime.Total);
        Assert.False(await admin.KeyExistsAsync($"nps:{{{product}}}:d:{yesterday:yyyy-MM-dd}"));
    }

    [Fact]
    public async Task A_day_tally_expires_its_retention_after_the_day_ends_while_month_and_all_time_tallies_never_do()
    {
        var product = UniqueProduct("ttl");
        // The respondent's answer creates its own day tally (region=eu), through the respondent path of the script.
        var batch = Batch([Answer(product, 7, ("plan", "pro")), Answer(product, 9, ("region", "eu")).By("ttl-respondent")]);
        await SubmissionStream.SubmitAllAsync(_server.Client, batch);
        // Again: no field is created, and the expiry set by the first batch stays.
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 7, ("plan", "pro"))]));
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var admin = await _redis.AdminAsync();

        var dayTtl = await admin.KeyTimeToLiveAsync($"nps:{{{product}}}:d:{today:yyyy-MM-dd}");
        var segmentDayTtl = await admin.KeyTimeToLiveAsync($"nps:{{{product}}}:d:{today:yyyy-MM-dd}:seg:plan=pro");
        var respondentDayTtl = await admin.KeyTimeToLiveAsync($"nps:{{{product}}}:d:{today:yyyy-MM-dd}:seg:region=eu");
        var monthTtl = await admin.KeyTimeToLiveAsync($"nps:{{{product}}}:m:{today:yyyy-MM}");
        var allTtl = await admin.KeyTimeToLiveAsync($"nps:{{{product}}}:all");

        var untilExpiry = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + Retention - now;
        Assert.NotNull(dayTtl);
        Assert.InRange(dayTtl.Value, untilExpiry - TimeSpan.FromSeconds(5), untilExpiry + TimeSpan.FromSeconds(1));
        Assert.NotNull(segmentDayTtl);
        Assert.InRange(segmentDayTtl.Value, untilExpiry - TimeSpan.FromSeconds(5), untilExpiry + TimeSpan.FromSeconds(1));
        Assert.NotNull(respondentDayTtl);
        Assert.InRange(respondentDayTtl.Value, untilExpiry - TimeSpan.FromSeconds(5), untilExpiry + TimeSpan.FromSeconds(1));
        Assert.Null(monthTtl);
        Assert.Null(allTtl);
    }

    [Fact]
    public async Task Replacing_an_answer_whose_day_has_expired_takes_it_out_of_its_month_and_all_time_only()
    {
        var product = UniqueProduct("replace-expired");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var yesterday = today.AddDays(-1);
        await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 0, ("region", "eu")).By("hana").AnsweredOn(yesterday)]));

        var ack = (await SubmissionStream.SubmitAllAsync(_server.Client, Batch([Answer(product, 10).By("hana").AnsweredOn(today, hour: 0)]))).Single();
        var allTime = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        var eu = (await _server.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = "region=eu" })).Score;
        var todayScore = (await _server.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Time.Day(today),
            EndTime = Time.Day(today.AddDays(1)),
        })).Score;

        Assert.Equal([ResponseOutcome.Replaced], ack.AllOutcomes());
        Assert.Equal((1L, 1L, 0L), (allTime.Total, allTime.Promoters, allTime.Detractors));
        Assert.Equal(0, eu.Total);
        Assert.Equal(1, todayScore.Total);
    }
}
