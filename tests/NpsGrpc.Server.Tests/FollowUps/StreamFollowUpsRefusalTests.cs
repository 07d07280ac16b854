using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>StreamFollowUps calls the server refuses before any delivery, each with its precise status.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class StreamFollowUpsRefusalTests(ScoringServerFixture fixture)
{
    private NpsService.NpsServiceClient Client => fixture.Client;

    [Fact]
    public async Task A_call_with_another_filter_or_visibility_timeout_than_the_group_has_is_FAILED_PRECONDITION_naming_group_and_product()
    {
        var (fresh, existing) = (UniqueProduct("mismatch-new"), UniqueProduct("mismatch"));
        await FollowUpWorker.CreateGroupAsync(Client, new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { existing } });
        StreamFollowUpsRequest[] others =
        [
            new() { Group = "care", Consumer = "w2", ProductIds = { fresh, existing }, Categories = { ScoreCategory.Promoter } },
            new() { Group = "care", Consumer = "w2", ProductIds = { fresh, existing }, OnlyWithComment = true },
            new() { Group = "care", Consumer = "w2", ProductIds = { fresh, existing }, VisibilityTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(6)) },
        ];

        foreach (var other in others)
        {
            await using var worker = FollowUpWorker.Start(Client, other);
            var error = await Assert.ThrowsAsync<RpcException>(worker.WaitUntilOpenAsync);
            var info = StatusAssertions.ErrorInfo(error, StatusCode.FailedPrecondition, ErrorReason.FollowUpGroupMismatch);
            Assert.Equal(("care", existing), (info.Metadata["group"], info.Metadata["productId"]));
        }

        // The same settings, written otherwise (detractors named, the default timeout spelled out), are the same group.
        await FollowUpWorker.CreateGroupAsync(Client, new StreamFollowUpsRequest
        {
            Group = "care", Consumer = "w3", ProductIds = { existing }, Categories = { ScoreCategory.Detractor, ScoreCategory.Detractor }, VisibilityTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
        });
        // A refused call created the group on no product.
        var db = await fixture.Redis.AdminAsync();
        Assert.False(await db.KeyExistsAsync($"nps:{{{fresh}}}:fug"));
    }

    [Fact]
    public async Task Bad_names_products_categories_timeouts_and_bounds_are_INVALID_ARGUMENT_naming_every_field()
    {
        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest
        {
            Group = string.Empty,
            Consumer = new string('c', 65),
            ProductIds = { "ok", "bad{tag}", "ok" },
            Categories = { ScoreCategory.Unspecified, (ScoreCategory)9 },
            VisibilityTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(9)),
            MaxOutstanding = 1001,
        });

        var error = await Assert.ThrowsAsync<RpcException>(worker.WaitUntilOpenAsync);

        Assert.Equal(
            ["categories[0]", "categories[1]", "group", "consumer", "product_ids[1]", "product_ids[2]", "visibility_timeout", "max_outstanding"],
            StatusAssertions.FieldViolations(error).Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_call_naming_no_product_or_more_than_a_hundred_is_refused(int count)
    {
        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest
        {
            Group = "care", Consumer = "w1", ProductIds = { Enumerable.Range(0, count).Select(i => $"p{i}") },
        });

        var error = await Assert.ThrowsAsync<RpcException>(worker.WaitUntilOpenAsync);

        Assert.Contains($"got {count}", StatusAssertions.FieldViolations(error)["product_ids"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(43200, true)]
    [InlineData(43201, false)]
    [InlineData(-30, false)]
    public async Task The_visibility_timeout_is_ten_seconds_to_twelve_hours(int seconds, bool accepted)
    {
        var product = UniqueProduct("visibility");
        await using var worker = FollowUpWorker.Start(Client, new StreamFollowUpsRequest
        {
            Group = "care", Consumer = "w1", ProductIds = { product }, VisibilityTimeout = new Duration { Seconds = seconds },
        });

        if (accepted)
        {
            await worker.WaitUntilOpenAsync();
            var settings = (string?)await (await fixture.Redis.AdminAsync()).HashGetAsync($"nps:{{{product}}}:fug", "care");
            Assert.Equal($"1|0|{seconds * 1000}", settings);
        }
        else
        {
            var error = await Assert.ThrowsAsync<RpcException>(worker.WaitUntilOpenAsync);
            Assert.Equal(["visibility_timeout"], StatusAssertions.FieldViolations(error).Keys);
        }
    }
}
