using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

public sealed partial class NpsService
{
    [Authorize(Policy = ApiScopes.Read)]
    public override Task<GetKeyTermsResponse> GetKeyTerms(GetKeyTermsRequest request, ServerCallContext context) =>
        keyTerms.GetKeyTermsAsync(request, context.CancellationToken);
}
