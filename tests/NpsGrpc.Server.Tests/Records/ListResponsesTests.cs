using System.Collections.Concurrent;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Records;

/// <summary>ListResponses through the server, over records written in the documented layout (RecordSeeder).</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class ListResponsesTests(ScoringServerFixture fixture)
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_segment_shows_only_the_records_whose_answer_carried_that_label()
    {
        var (product, ids) = await SeedAsync();

        var eu = await ListAsync(new ListResponsesRequest { ProductId = product, Segment = "region=eu" });

        Assert.Equal(Expected(ids, seed => seed.Labels.GetValueOrDefault("region") == "eu"), eu.Select(r => r.RecordId));
        Assert.All(eu, record => Assert.Equal("eu", record.Segments["region"]));
    }

    [Fact]
    public async Task An_interval_shows_the_records_answered_from_its_start_up_to_before_its_end()
    {
        var (product, ids) = await SeedAsync();

        var march = await ListAsync(new ListResponsesRequest { ProductId = product, StartTime = Ts(March), EndTime = Ts(March.AddMonths(1)) });
        var fromMarch = await ListAsync(new ListResponsesRequest { ProductId = product, StartTime = Ts(March) });
        var beforeMarch = await ListAsync(new ListResponsesRequest { ProductId = product, EndTime = Ts(March) });

        Assert.Equal(Expected(ids, seed => seed.AnsweredAt >= March && seed.AnsweredAt < March.AddMonths(1)), march.Select(r => r.RecordId));
        Assert.Equal(Expected(ids, seed => seed.AnsweredAt >= March), fromMarch.Select(r => r.RecordId));
        Assert.Equal(Expected(ids, seed => seed.AnsweredAt < March), beforeMarch.Select(r => r.RecordId));
        Assert.Contains(march, record => record.AnsweredAt.ToDateTimeOffset() == March);
        Assert.DoesNotContain(march, record => record.AnsweredAt.ToDateTimeOffset() == March.AddMonths(1));
    }

    [Fact]
    public async Task Interval_bounds_between_two_microseconds_are_honoured_to_the_nanosecond()
    {
        var db = await fixture.Redis.AdminAsync();
        var product = UniqueProduct("nanos");
        var micros = ((March - DateTimeOffset.UnixEpoch).Ticks / 10) + 7;
        var id = await RecordSeeder.AddAsync(db, product, new SeedRecord(March, 3) { AnsweredAtMicros = micros });
        var justAfter = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = March.ToUnixTimeSeconds(), Nanos = 7_001 };
        var exactly = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = March.ToUnixTimeSeconds(), Nanos = 7_000 };

        var fromJustAfter = await ListAsync(new ListResponsesRequest { ProductId = product, StartTime = justAfter });
        var untilJustAfter = await ListAsync(new ListResponsesRequest { ProductId = product, EndTime = justAfter });
        var untilExactly = await ListAsync(new ListResponsesRequest { ProductId = product, EndTime = exactly });
        var oneNanosecond = await ListAsync(new ListResponsesRequest { ProductId = product, StartTime = exactly, EndTime = new() { Seconds = exactly.Seconds, Nanos = 7_001 } });

        Assert.Empty(fromJustAfter);
        Assert.Equal([id], untilJustAfter.Select(record => record.RecordId));
        Assert.Empty(untilExactly);
        Assert.Equal([id], oneNanosecond.Select(record => record.RecordId));
    }

    [Fact]
    public async Task Categories_show_only_records_of_those_categories()
    {
        var (product, ids) = await SeedAsync();

        var detractors = await ListAsync(new ListResponsesRequest { ProductId = product, Categories = { ScoreCategory.Detractor } });
        var happy = await ListAsync(new ListResponsesRequest { ProductId = product, Categories = { ScoreCategory.Promoter, ScoreCategory.Passive } });

        Assert.Equal(Expected(ids, seed => seed.Score <= 6), detractors.Select(r => r.RecordId));
        Assert.All(detractors, record => Assert.Equal(ScoreCategory.Detractor, record.Category));
        Assert.Equal(Expected(ids, seed => seed.Score >= 7), happy.Select(r => r.RecordId));
    }

    [Fact]
    public async Task Only_with_comment_shows_only_records_that_carry_a_comment()
    {
        var (product, ids) = await SeedAsync();

        var commented = await ListAsync(new ListResponsesRequest { ProductId = product, OnlyWithComment = true });

        Assert.Equal(Expected(ids, seed => seed.Comment is not null), commented.Select(r => r.RecordId));
        Assert.All(commented, record => Assert.NotEmpty(record.Comment));
    }

    [Fact]
    public async Task This_months_detractors_in_the_EU_and_what_they_said_is_one_call()
    {
        var (product, ids) = await SeedAsync();

        var response = await fixture.Client.ListResponsesAsync(new ListResponsesRequest
        {
            ProductId = product,
            Segment = "region=eu",
            StartTime = Ts(March),
            EndTime = Ts(March.AddMonths(1)),
            Categories = { ScoreCategory.Detractor },
            OnlyWithComment = true,
        });

        var expected = Expected(ids, seed => seed.Labels.GetValueOrDefault("region") == "eu" && seed.Score <= 6 && seed.Comment is not null
            && seed.AnsweredAt >= March && seed.AnsweredAt < March.AddMonths(1));
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, response.Records.Select(r => r.RecordId));
        Assert.Equal(["eu slow 3", "eu slow 2", "eu slow 1"], response.Records.Select(r => r.Comment));
        Assert.All(response.Records, record => Assert.Equal(("en", RecordState.Counted, product), (record.LanguageCode, record.State, record.ProductId)));
        Assert.Empty(response.NextPageToken);
    }

    [Fact]
    public async Task A_record_maps_to_the_contract_with_its_respondent_state_follow_ups_and_microseconds()
    {
        var db = await fixture.Redis.AdminAsync();
        var product = UniqueProduct("mapped");
        var done = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        var micros = ((March - DateTimeOffset.UnixEpoch).Ticks / 10) + 1;
        var id = await RecordSeeder.AddAsync(db, product, new SeedRecord(March, 0)
        {
            AnsweredAtMicros = micros,
            Respondent = "hana",
            Comment = "Trop lent",
            Language = "fr",
            Replaced = true,
            Labels = new Dictionary<string, string> { ["region"] = "eu" },
            FollowUps = [RecordSeeder.FollowUp("care", "w1", 3, "no answer", done)],
        });

        var record = Assert.Single(await ListAsync(new ListResponsesRequest { ProductId = product }));

        Assert.Equal((id, 0, ScoreCategory.Detractor, "hana", "Trop lent", "fr", RecordState.Replaced),
            (record.RecordId, record.Score, record.Category, record.RespondentId, record.Comment, record.LanguageCode, record.State));
        Assert.Equal((March.ToUnixTimeSeconds(), 1000), (record.AnsweredAt.Seconds, record.AnsweredAt.Nanos));
        Assert.Equal("eu", record.Segments["region"]);
        var followUp = Assert.Single(record.FollowUps);
        Assert.Equal(("care", "w1", FollowUpOutcome.NotReached, "no answer", done), (followUp.Group, followUp.Consumer, followUp.Outcome, followUp.Note, followUp.DoneTime.ToDateTimeOffset()));
        Assert.NotNull(record.RecordTime);
    }

    [Fact]
    public async Task An_unknown_product_lists_no_records()
    {
        var response = await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = UniqueProduct("unknown") });

        Assert.Empty(response.Records);
        Assert.Empty(response.NextPageToken);
    }

    [Fact]
    public async Task Paging_through_2500_records_while_more_arrive_returns_each_earlier_record_exactly_once_newest_first()
    {
        var db = await fixture.Redis.AdminAsync();
        var product = UniqueProduct("paging");
        var random = new Random(13);
        var existing = await RecordSeeder.AddManyAsync(db, product, Enumerable.Range(0, 2500).Select(_ => RandomRecord(random)));
        var arrived = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var arriving = Task.Run(async () =>
        {
            // New records land before, inside and after the pages already read: late answers too.
            var more = new Random(31);
            while (!stop.IsCancellationRequested)
            {
                arrived.Add(await RecordSeeder.AddAsync(db, product, RandomRecord(more)));
            }
        });

        var pages = await RecordPaging.AllPagesAsync(fixture.Client, new ListResponsesRequest { ProductId = product, PageSize = 100 });
        await stop.CancelAsync();
        await arriving;

        Assert.False(arrived.IsEmpty, "No record arrived while paging.");
        Assert.All(pages, page => Assert.InRange(page.Records.Count, 1, 100));
        RecordPaging.AssertEachExistingOnceNewestFirst([.. pages.SelectMany(page => page.Records)], existing);
        Assert.InRange(pages.Count, 25, 25 + (arrived.Count / 100) + 1);
    }

    [Fact]
    public async Task A_page_token_sent_with_another_filter_is_INVALID_ARGUMENT_naming_page_token()
    {
        var (product, _) = await SeedAsync();
        var first = await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product, PageSize = 2, Categories = { ScoreCategory.Detractor } });

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ListResponsesAsync(new ListResponsesRequest
        {
            ProductId = product,
            PageSize = 2,
            PageToken = first.NextPageToken,
            Categories = { ScoreCategory.Detractor },
            OnlyWithComment = true,
        }).ResponseAsync);

        Assert.NotEmpty(first.NextPageToken);
        Assert.Contains("another filter", StatusAssertions.FieldViolations(exception)["page_token"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("djF8VG90YWx8NTB8cA")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_page_token_this_server_did_not_issue_is_INVALID_ARGUMENT_naming_page_token(string token)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = UniqueProduct("garbage"), PageToken = token }).ResponseAsync);

        Assert.Contains("not a token this service issued", StatusAssertions.FieldViolations(exception)["page_token"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_field_of_a_listing_is_named_at_once()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ListResponsesAsync(new ListResponsesRequest
        {
            ProductId = "a b",
            Segment = "region",
            StartTime = Ts(March),
            EndTime = Ts(March),
            Categories = { ScoreCategory.Detractor, ScoreCategory.Unspecified, (ScoreCategory)7 },
            PageSize = -1,
        }).ResponseAsync);

        var violations = StatusAssertions.FieldViolations(exception);
        Assert.Equal(["categories[1]", "categories[2]", "end_time", "page_size", "product_id", "segment"], violations.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("got SCORE_CATEGORY_UNSPECIFIED", violations["categories[1]"], StringComparison.Ordinal);
        Assert.Contains("got 7", violations["categories[2]"], StringComparison.Ordinal);
    }

    /// <summary>
    /// Twelve records of one product: in February and March (one exactly at 1 March 00:00, one exactly at 1 April),
    /// in the EU, the US or without labels, detractors, passives and promoters, some with comments.
    /// </summary>
    private async Task<(string Product, Dictionary<string, SeedRecord> Ids)> SeedAsync()
    {
        var db = await fixture.Redis.AdminAsync();
        var product = UniqueProduct("listing");
        var eu = new Dictionary<string, string> { ["region"] = "eu" };
        var us = new Dictionary<string, string> { ["region"] = "us", ["plan"] = "pro" };
        SeedRecord[] seeds =
        [
            new(March.AddDays(-3), 2) { Labels = eu, Comment = "eu slow in february" },
            new(March, 3) { Labels = eu, Comment = "eu slow 1" },
            new(March.AddDays(2), 5) { Labels = eu },
            new(March.AddDays(3), 6) { Labels = eu, Comment = "eu slow 2" },
            new(March.AddDays(4), 9) { Labels = eu, Comment = "eu love" },
            new(March.AddDays(5), 1) { Labels = us, Comment = "us slow" },
            new(March.AddDays(6), 8) { Labels = us },
            new(March.AddDays(7), 0) { Comment = "no label slow" },
            new(March.AddDays(8), 4) { Labels = eu, Comment = "eu slow 3", Respondent = "r-eu" },
            new(March.AddMonths(1), 2) { Labels = eu, Comment = "eu slow in april" },
            new(March.AddDays(-10), 10) { Labels = us, Comment = "us love in february" },
            new(March.AddDays(9), 7),
        ];
        var ids = new Dictionary<string, SeedRecord>();
        foreach (var seed in seeds)
        {
            ids[await RecordSeeder.AddAsync(db, product, seed)] = seed;
        }

        return (product, ids);
    }

    /// <summary>The ids of the seeds that match, newest first (ties by descending id).</summary>
    private static List<string> Expected(Dictionary<string, SeedRecord> ids, Func<SeedRecord, bool> match) =>
        [.. ids.Where(seed => match(seed.Value)).OrderByDescending(seed => seed.Value.Micros).ThenByDescending(seed => long.Parse(seed.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(seed => seed.Key)];

    private async Task<List<ResponseRecord>> ListAsync(ListResponsesRequest request)
    {
        request.PageSize = 1000;
        var response = await fixture.Client.ListResponsesAsync(request);
        Assert.Empty(response.NextPageToken);
        return [.. response.Records];
    }

    private static SeedRecord RandomRecord(Random random) =>
        new(March.AddSeconds(random.Next(0, 30 * 24 * 3600)), random.Next(0, 11)) { Comment = random.Next(2) == 0 ? "why" : null };

    private static Google.Protobuf.WellKnownTypes.Timestamp Ts(DateTimeOffset instant) => Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(instant);
}
