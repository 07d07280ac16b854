using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>Leases that expire, on the shortest visibility timeout the contract allows (10 s): these tests take that long.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class FollowUpLeaseExpiryTests(ScoringServerFixture fixture)
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(10);

    private NpsService.NpsServiceClient Client => fixture.Client;

    [Fact]
    public async Task A_delivery_not_acknowledged_within_the_visibility_timeout_goes_to_the_other_worker_as_attempt_2_and_the_first_workers_late_ack_is_a_stale_lease()
    {
        var product = UniqueProduct("fu-expiry");
        await using var slow = FollowUpWorker.Start(Client, Request(product, "slow"));
        await slow.WaitUntilOpenAsync();
        var id = (await FollowUpRecords.AddAsync(await fixture.Redis.AdminAsync(), product, DateTimeOffset.UtcNow, [2])).Single();
        var first = (await slow.TakeAsync(1)).Single();
        await using var other = FollowUpWorker.Start(Client, Request(product, "other"));

        Assert.Empty(await other.TakeWithinAsync(Visibility - TimeSpan.FromSeconds(2)));
        var second = (await other.TakeAsync(1, TimeSpan.FromSeconds(6))).Single();
        var late = await slow.AcknowledgeAsync(first);
        var taken = await other.AcknowledgeAsync(FollowUpOutcome.Resolved, second);
        var lateAgain = await slow.AcknowledgeAsync(first);
        var repeated = await other.AcknowledgeAsync(FollowUpOutcome.Resolved, second);

        Assert.Equal((id, 1, id, 2), (first.Record.RecordId, first.Attempt, second.Record.RecordId, second.Attempt));
        Assert.NotEqual(first.AckId, second.AckId);
        Assert.Equal(AcknowledgementProblem.StaleLease, Assert.Single(late.Exceptions).Problem);
        Assert.Empty(taken.Exceptions);
        Assert.Equal(AcknowledgementProblem.StaleLease, Assert.Single(lateAgain.Exceptions).Problem);
        Assert.Empty(repeated.Exceptions);
        Assert.Empty(await slow.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        var record = await FollowUpRecords.ReadAsync(await fixture.Redis.AdminAsync(), product, id);
        var result = Assert.Single(record["f"]!.AsArray())!;
        Assert.Equal(("other", 2), ((string)result["w"]!, (int)result["o"]!));
    }

    [Fact]
    public async Task A_worker_alone_in_its_group_gets_its_own_expired_delivery_again_as_the_next_attempt_and_may_still_acknowledge_the_first()
    {
        var product = UniqueProduct("fu-expiry-alone");
        await using var worker = FollowUpWorker.Start(Client, Request(product, "alone"));
        await worker.WaitUntilOpenAsync();
        await FollowUpRecords.AddAsync(await fixture.Redis.AdminAsync(), product, DateTimeOffset.UtcNow, [2]);
        var first = (await worker.TakeAsync(1)).Single();

        var again = (await worker.TakeAsync(1, Visibility + TimeSpan.FromSeconds(5))).Single();
        var ack = await worker.AcknowledgeAsync(first);

        Assert.Equal((first.Record.RecordId, 2), (again.Record.RecordId, again.Attempt));
        Assert.Empty(ack.Exceptions);
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
    }

    private static StreamFollowUpsRequest Request(string product, string consumer) => new()
    {
        Group = "care", Consumer = consumer, ProductIds = { product }, VisibilityTimeout = Duration.FromTimeSpan(Visibility),
    };
}
