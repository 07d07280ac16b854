using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>
/// StreamFollowUps over the shared server, on records written in the documented layout (RecordSeeder): who gets
/// which record, when, and how many at a time.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class FollowUpDeliveryTests(ScoringServerFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private NpsService.NpsServiceClient Client => fixture.Client;

    [Fact]
    public async Task Each_record_goes_to_exactly_one_of_two_workers_of_a_group()
    {
        var product = UniqueProduct("fu-split");
        await using var first = FollowUpWorker.Start(Client, "care", "w1", product);
        await using var second = FollowUpWorker.Start(Client, "care", "w2", product);
        await first.WaitUntilOpenAsync();
        await second.WaitUntilOpenAsync();
        var ids = await SeedAsync(product, Enumerable.Repeat(3, 40));

        var received = new List<FollowUpDelivery>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (received.Count < ids.Count && DateTime.UtcNow < deadline)
        {
            received.AddRange(await first.TakeWithinAsync(TimeSpan.FromMilliseconds(100)));
            received.AddRange(await second.TakeWithinAsync(TimeSpan.FromMilliseconds(100)));
        }

        received.AddRange(await first.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        received.AddRange(await second.TakeWithinAsync(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(ids.Order(), received.Select(delivery => delivery.Record.RecordId).Order());
        Assert.All(received, delivery => Assert.Equal(1, delivery.Attempt));
        Assert.All(received, delivery => Assert.Equal(product, delivery.Record.ProductId));
    }

    [Fact]
    public async Task A_delivery_carries_the_whole_record_an_attempt_and_a_lease_that_ends_after_the_visibility_timeout()
    {
        var product = UniqueProduct("fu-record");
        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest
        {
            Group = "care", Consumer = "w1", ProductIds = { product }, VisibilityTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(2)),
        });
        await worker.WaitUntilOpenAsync();
        var db = await fixture.Redis.AdminAsync();
        var id = await FollowUpRecords.AddAsync(db, product, new RecordToAdd(Noon, 2)
        {
            Respondent = "hana",
            Labels = new Dictionary<string, string> { ["region"] = "eu" },
            Comment = "Ça rame",
            Language = "fr",
        });

        var delivery = (await worker.TakeAsync(1)).Single();

        var record = delivery.Record;
        Assert.Equal((id, product, 2, ScoreCategory.Detractor), (record.RecordId, record.ProductId, record.Score, record.Category));
        Assert.Equal(("hana", "Ça rame", "fr", RecordState.Counted), (record.RespondentId, record.Comment, record.LanguageCode, record.State));
        Assert.Equal("eu", record.Segments["region"]);
        Assert.Equal(Noon, record.AnsweredAt.ToDateTimeOffset());
        Assert.Equal(1, delivery.Attempt);
        Assert.NotEmpty(delivery.AckId);
        Assert.InRange(delivery.AckId.Length, 1, 512);
        var lease = delivery.LeaseExpireTime.ToDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(lease, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(125));
    }

    [Fact]
    public async Task A_group_created_while_no_worker_is_connected_misses_nothing_recorded_after_its_creation()
    {
        var product = UniqueProduct("fu-offline");
        var before = await SeedAsync(product, [3]);
        await FollowUpWorker.CreateGroupAsync(Client, new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product } });
        var after = await SeedAsync(product, [1, 4, 6]);

        await using var worker = FollowUpWorker.Start(Client, "care", "w1", product);
        var received = await worker.TakeAsync(3);

        Assert.Equal(after, received.Select(delivery => delivery.Record.RecordId));
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain(before.Single(), received.Select(delivery => delivery.Record.RecordId));
    }

    [Fact]
    public async Task A_group_created_with_a_start_time_gets_the_records_recorded_from_then_on()
    {
        var product = UniqueProduct("fu-start");
        var early = await SeedAsync(product, [3]);
        await Task.Delay(50);
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var late = await SeedAsync(product, [2, 5]);

        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest
        {
            Group = "care", Consumer = "w1", ProductIds = { product }, StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start),
        });
        var received = await worker.TakeAsync(2);

        Assert.Equal(late, received.Select(delivery => delivery.Record.RecordId));
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.NotEqual(early.Single(), received[0].Record.RecordId);
    }

    [Fact]
    public async Task A_group_gets_only_the_records_its_filter_takes_and_passes_over_the_others_for_good()
    {
        var product = UniqueProduct("fu-filter");
        var request = new StreamFollowUpsRequest
        {
            Group = "praise", Consumer = "w1", ProductIds = { product }, Categories = { ScoreCategory.Promoter, ScoreCategory.Passive }, OnlyWithComment = true,
        };
        await FollowUpWorker.CreateGroupAsync(Client, request);
        var db = await fixture.Redis.AdminAsync();
        var promoterWithComment = await FollowUpRecords.AddAsync(db, product, new RecordToAdd(Noon, 10) { Comment = "love it" });
        await FollowUpRecords.AddAsync(db, product, new RecordToAdd(Noon, 10));
        await FollowUpRecords.AddAsync(db, product, new RecordToAdd(Noon, 2) { Comment = "slow" });
        var passiveWithComment = await FollowUpRecords.AddAsync(db, product, new RecordToAdd(Noon, 7) { Comment = "fine" });

        await using var worker = FollowUpWorker.Start(Client, request);
        var received = await worker.TakeAsync(2);

        Assert.Equal([promoterWithComment, passiveWithComment], received.Select(delivery => delivery.Record.RecordId));
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        // Passed over: acknowledged in the group at once, so no worker of it ever gets them.
        var pending = await db.StreamPendingAsync($"nps:{{{product}}}:fu", "praise");
        Assert.Equal(2, pending.PendingMessageCount);
    }

    [Fact]
    public async Task A_worker_holds_no_more_than_max_outstanding_deliveries_until_it_acknowledges_some()
    {
        var product = UniqueProduct("fu-flow");
        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product }, MaxOutstanding = 3 });
        await worker.WaitUntilOpenAsync();
        var ids = await SeedAsync(product, Enumerable.Repeat(3, 10));

        var firstThree = await worker.TakeAsync(3);
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.Empty((await worker.AcknowledgeAsync([.. firstThree.Take(2)])).Exceptions);
        var nextTwo = await worker.TakeAsync(2);
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1.5)));

        Assert.Equal(ids.Take(5), firstThree.Concat(nextTwo).Select(delivery => delivery.Record.RecordId));
    }

    [Fact]
    public async Task Max_outstanding_bounds_the_deliveries_over_all_the_products_of_a_worker()
    {
        var products = Enumerable.Range(0, 4).Select(i => UniqueProduct($"fu-flow{i}")).ToArray();
        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { products }, MaxOutstanding = 5 });
        await worker.WaitUntilOpenAsync();
        foreach (var product in products)
        {
            await SeedAsync(product, Enumerable.Repeat(3, 4));
        }

        var held = await worker.TakeAsync(5);
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1.5)));
        await worker.AcknowledgeAsync([.. held]);
        var next = await worker.TakeAsync(5);
        await worker.AcknowledgeAsync([.. next]);
        var rest = await worker.TakeAsync(5);
        await worker.AcknowledgeAsync([.. rest]);
        var last = await worker.TakeAsync(1);

        Assert.Equal(16, held.Concat(next).Concat(rest).Concat(last).Select(delivery => (delivery.Record.ProductId, delivery.Record.RecordId)).Distinct().Count());
    }

    [Fact]
    public async Task A_worker_that_reconnects_first_gets_back_its_own_unacknowledged_deliveries_with_the_same_ack_ids()
    {
        var product = UniqueProduct("fu-reconnect");
        var request = new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product }, MaxOutstanding = 4 };
        await FollowUpWorker.CreateGroupAsync(Client, request);
        var ids = await SeedAsync(product, Enumerable.Repeat(3, 8));
        var held = new List<FollowUpDelivery>();
        await using (var worker = FollowUpWorker.Start(Client, request))
        {
            held.AddRange(await worker.TakeAsync(4));
            await worker.AcknowledgeAsync(held[0]);
            held.AddRange(await worker.TakeAsync(1));
        }

        await using var again = FollowUpWorker.Start(Client, request);
        var back = await again.TakeAsync(4);
        await again.AcknowledgeAsync([.. back]);
        var then = await again.TakeAsync(3);

        Assert.Equal(held.Skip(1).Select(delivery => delivery.AckId), back.Select(delivery => delivery.AckId));
        Assert.Equal(back, again.Messages[0].Deliveries);
        Assert.All(back, delivery => Assert.Equal(1, delivery.Attempt));
        Assert.Equal(ids.Skip(5), then.Select(delivery => delivery.Record.RecordId));
    }

    [Fact]
    public async Task A_record_erased_before_its_delivery_is_skipped()
    {
        var product = UniqueProduct("fu-erased");
        await FollowUpWorker.CreateGroupAsync(Client, new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product } });
        var ids = await SeedAsync(product, [3, 3, 3]);
        var db = await fixture.Redis.AdminAsync();
        await db.HashDeleteAsync($"nps:{{{product}}}:rec", ids[1]);

        await using var worker = FollowUpWorker.Start(Client, "care", "w1", product);
        var received = await worker.TakeAsync(2);

        Assert.Equal([ids[0], ids[2]], received.Select(delivery => delivery.Record.RecordId));
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(2, (await db.StreamPendingAsync($"nps:{{{product}}}:fu", "care")).PendingMessageCount);
    }

    private async Task<IReadOnlyList<string>> SeedAsync(string product, IEnumerable<int> scores) =>
        await FollowUpRecords.AddAsync(await fixture.Redis.AdminAsync(), product, Noon, scores);
}
