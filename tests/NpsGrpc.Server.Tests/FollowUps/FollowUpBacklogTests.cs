using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>GetFollowUpBacklog: waiting, in progress and done, how old the oldest waiting record is, and the median time to done.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class FollowUpBacklogTests(ScoringServerFixture fixture)
{
    private NpsService.NpsServiceClient Client => fixture.Client;

    [Fact]
    public async Task The_backlog_counts_waiting_in_progress_and_done_records_of_the_groups_filter()
    {
        var product = UniqueProduct("backlog");
        var now = DateTimeOffset.UtcNow;
        var request = new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product }, MaxOutstanding = 3 };
        await FollowUpWorker.CreateGroupAsync(Client, request);
        var db = await fixture.Redis.AdminAsync();
        // Answered 10, 9, ..., 3 hours ago: eight detractors and two promoters the group's filter passes over.
        for (var hours = 10; hours >= 3; hours--)
        {
            await FollowUpRecords.AddAsync(db, product, new RecordToAdd(now.AddHours(-hours), 3));
            if (hours % 4 == 0)
            {
                await FollowUpRecords.AddAsync(db, product, new RecordToAdd(now.AddHours(-hours), 10));
            }
        }

        var empty = await BacklogAsync(product);
        Assert.Equal((8L, 0L, 0L, 0L), (empty.WaitingCount, empty.InProgressCount, empty.DoneCount, empty.DoneInIntervalCount));
        Assert.InRange(empty.OldestWaitingAge.ToTimeSpan(), TimeSpan.FromHours(10), TimeSpan.FromHours(10.1));
        Assert.Null(empty.MedianTimeToDone);

        await using var worker = FollowUpWorker.Start(Client, request);
        var held = await worker.TakeAsync(3);
        await worker.AcknowledgeAsync(held[0], held[1]);
        await worker.TakeAsync(2);

        var backlog = await BacklogAsync(product);
        Assert.Equal((3L, 3L, 2L, 2L), (backlog.WaitingCount, backlog.InProgressCount, backlog.DoneCount, backlog.DoneInIntervalCount));
        // The oldest waiting one now is the sixth detractor, answered 5 hours ago; the two done were answered 10 and 9 hours ago.
        Assert.InRange(backlog.OldestWaitingAge.ToTimeSpan(), TimeSpan.FromHours(5), TimeSpan.FromHours(5.1));
        Assert.InRange(backlog.MedianTimeToDone.ToTimeSpan(), TimeSpan.FromHours(9.5), TimeSpan.FromHours(9.6));
    }

    [Fact]
    public async Task The_median_time_to_done_covers_only_the_records_done_within_the_interval()
    {
        var product = UniqueProduct("backlog-interval");
        var now = DateTimeOffset.UtcNow;
        await using var worker = FollowUpWorker.Start(Client, "care", "w1", product);
        await worker.WaitUntilOpenAsync();
        var db = await fixture.Redis.AdminAsync();
        foreach (var hours in new[] { 1, 2, 6 })
        {
            await FollowUpRecords.AddAsync(db, product, new RecordToAdd(now.AddHours(-hours), 0));
        }

        var deliveries = await worker.TakeAsync(3);
        await worker.AcknowledgeAsync([.. deliveries]);

        var all = await BacklogAsync(product);
        var before = await BacklogAsync(product, end: now);
        Assert.Equal((0L, 0L, 3L, 3L), (all.WaitingCount, all.InProgressCount, all.DoneCount, all.DoneInIntervalCount));
        Assert.Null(all.OldestWaitingAge);
        Assert.InRange(all.MedianTimeToDone.ToTimeSpan(), TimeSpan.FromHours(2), TimeSpan.FromHours(2.1));
        Assert.Equal((3L, 0L), (before.DoneCount, before.DoneInIntervalCount));
        Assert.Null(before.MedianTimeToDone);
    }

    [Fact]
    public async Task Backlogs_come_in_request_order_and_a_group_never_created_on_a_product_is_NOT_FOUND()
    {
        var (first, second, never) = (UniqueProduct("backlog-a"), UniqueProduct("backlog-b"), UniqueProduct("backlog-none"));
        await FollowUpWorker.CreateGroupAsync(Client, new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { first, second } });

        var both = await Client.GetFollowUpBacklogAsync(new GetFollowUpBacklogRequest { Group = "care", ProductIds = { second, first } });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.GetFollowUpBacklogAsync(new GetFollowUpBacklogRequest { Group = "care", ProductIds = { first, never } }).ResponseAsync);

        Assert.Equal([second, first], both.Backlogs.Select(backlog => backlog.ProductId));
        var info = StatusAssertions.ErrorInfo(error, StatusCode.NotFound, ErrorReason.FollowUpGroupNotFound);
        Assert.Equal(("care", never), (info.Metadata["group"], info.Metadata["productId"]));
    }

    [Fact]
    public async Task A_bad_group_product_list_or_interval_is_refused_with_the_fields_named()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetFollowUpBacklogAsync(new GetFollowUpBacklogRequest
        {
            Group = "bad group",
            ProductIds = { "p", "p" },
            StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)),
        }).ResponseAsync);

        Assert.Equal(["group", "product_ids[1]", "end_time"], StatusAssertions.FieldViolations(error).Keys);
    }

    private async Task<FollowUpBacklog> BacklogAsync(string product, DateTimeOffset? end = null)
    {
        var request = new GetFollowUpBacklogRequest { Group = "care", ProductIds = { product } };
        if (end is { } instant)
        {
            request.EndTime = Timestamp.FromDateTimeOffset(instant);
        }

        return (await Client.GetFollowUpBacklogAsync(request)).Backlogs.Single();
    }
}
