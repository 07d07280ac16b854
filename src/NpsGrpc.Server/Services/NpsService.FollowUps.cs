using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>The follow-up queue's RPCs, mapped by <see cref="FollowUpRpc"/>.</summary>
public sealed partial class NpsService
{
    [Authorize(Policy = ApiScopes.FollowUp)]
    public override Task StreamFollowUps(StreamFollowUpsRequest request, IServerStreamWriter<StreamFollowUpsResponse> responseStream, ServerCallContext context) =>
        followUps.StreamAsync(request, responseStream, context);

    [Authorize(Policy = ApiScopes.FollowUp)]
    public override Task<AcknowledgeFollowUpsResponse> AcknowledgeFollowUps(AcknowledgeFollowUpsRequest request, ServerCallContext context) =>
        followUps.AcknowledgeAsync(request, context);

    [Authorize(Policy = ApiScopes.FollowUp)]
    public override Task<GetFollowUpBacklogResponse> GetFollowUpBacklog(GetFollowUpBacklogRequest request, ServerCallContext context) =>
        followUps.GetBacklogAsync(request, context);
}
