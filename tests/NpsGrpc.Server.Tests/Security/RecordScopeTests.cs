using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Security;

/// <summary>
/// Records hold personal data: listing them takes the follow_up scope and erasing them the erase scope, which the
/// read scope of dashboards grants neither of.
/// </summary>
public sealed class RecordScopeTests : IAsyncLifetime
{
    private const string ReadKey = "nps_read_1a2b3c4d5e6f708192a3b4c5d6e7f809";
    private const string FollowUpKey = "nps_team_2b3c4d5e6f708192a3b4c5d6e7f8091a";
    private const string EraseKey = "nps_dpo_3c4d5e6f708192a3b4c5d6e7f8091a2b";

    private RedisServer _redis = null!;
    private NpsServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _server = await NpsServerHost.StartAsync(_redis.Configuration, new Dictionary<string, string?>().WithApiKeys(
            ("dashboard", ReadKey, ["read"]),
            ("care-team", FollowUpKey, ["follow_up"]),
            ("privacy-officer", EraseKey, ["erase"])));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Listing_records_takes_the_follow_up_scope()
    {
        var request = new ListResponsesRequest { ProductId = UniqueProduct("scoped") };

        var read = await Assert.ThrowsAsync<RpcException>(() => _server.Client.ListResponsesAsync(request, Headers(ReadKey)).ResponseAsync);
        var erase = await Assert.ThrowsAsync<RpcException>(() => _server.Client.ListResponsesAsync(request, Headers(EraseKey)).ResponseAsync);
        var listed = await _server.Client.ListResponsesAsync(request, Headers(FollowUpKey));

        Assert.Equal(("dashboard", "follow_up"), Refusal(read));
        Assert.Equal(("privacy-officer", "follow_up"), Refusal(erase));
        Assert.Empty(listed.Records);
    }

    [Fact]
    public async Task Erasing_records_takes_the_erase_scope()
    {
        var request = new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { UniqueProduct("scoped") } };

        var read = await Assert.ThrowsAsync<RpcException>(() => _server.Client.DeleteRespondentRecordsAsync(request, Headers(ReadKey)).ResponseAsync);
        var followUp = await Assert.ThrowsAsync<RpcException>(() => _server.Client.DeleteRespondentRecordsAsync(request, Headers(FollowUpKey)).ResponseAsync);
        var erased = await _server.Client.DeleteRespondentRecordsAsync(request, Headers(EraseKey));

        Assert.Equal(("dashboard", "erase"), Refusal(read));
        Assert.Equal(("care-team", "erase"), Refusal(followUp));
        Assert.Equal(0, erased.DeletedRecordCount);
    }

    [Fact]
    public async Task Following_up_takes_the_follow_up_scope()
    {
        var product = UniqueProduct("scoped");
        var watch = new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product } };
        var acknowledge = new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { new FollowUpAcknowledgement { AckId = AckIds.Make(product, "care", "1-0", "w1", 1), Outcome = FollowUpOutcome.Contacted } },
        };
        var backlog = new GetFollowUpBacklogRequest { Group = "care", ProductIds = { product } };

        using var refusedWatch = _server.Client.StreamFollowUps(watch, Headers(ReadKey));
        var watchRefused = await Assert.ThrowsAsync<RpcException>(() => refusedWatch.ResponseStream.MoveNext(CancellationToken.None));
        var ackRefused = await Assert.ThrowsAsync<RpcException>(() => _server.Client.AcknowledgeFollowUpsAsync(acknowledge, Headers(EraseKey)).ResponseAsync);
        var backlogRefused = await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetFollowUpBacklogAsync(backlog, Headers(ReadKey)).ResponseAsync);
        using var watching = _server.Client.StreamFollowUps(watch, Headers(FollowUpKey));
        await watching.ResponseHeadersAsync;
        var acknowledged = await _server.Client.AcknowledgeFollowUpsAsync(acknowledge, Headers(FollowUpKey));
        var read = await _server.Client.GetFollowUpBacklogAsync(backlog, Headers(FollowUpKey));

        Assert.Equal(("dashboard", "follow_up"), Refusal(watchRefused));
        Assert.Equal(("privacy-officer", "follow_up"), Refusal(ackRefused));
        Assert.Equal(("dashboard", "follow_up"), Refusal(backlogRefused));
        Assert.Equal(AcknowledgementProblem.Unknown, acknowledged.Exceptions.Single().Problem);
        Assert.Equal(product, read.Backlogs.Single().ProductId);
    }

    private static (string Key, string Scope) Refusal(RpcException exception)
    {
        var info = StatusAssertions.ErrorInfo(exception, StatusCode.PermissionDenied, ErrorReason.ApiKeyScopeMissing);
        return (info.Metadata["apiKey"], info.Metadata["requiredScope"]);
    }

    private static Metadata Headers(string key) => new() { { "authorization", "Bearer " + key } };
}
