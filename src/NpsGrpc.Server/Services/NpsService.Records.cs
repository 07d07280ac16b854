using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>The response records RPCs, mapped by <see cref="RecordsRpc"/>.</summary>
public sealed partial class NpsService
{
    // Records hold what customers wrote and who they are: reading them takes follow_up, erasing them erase.
    [Authorize(Policy = ApiScopes.FollowUp)]
    public override Task<ListResponsesResponse> ListResponses(ListResponsesRequest request, ServerCallContext context) =>
        records.ListResponsesAsync(request, context.CancellationToken);

    [Authorize(Policy = ApiScopes.Erase)]
    public override Task<DeleteRespondentRecordsResponse> DeleteRespondentRecords(DeleteRespondentRecordsRequest request, ServerCallContext context) =>
        records.DeleteRespondentRecordsAsync(request, context.CancellationToken);
}
