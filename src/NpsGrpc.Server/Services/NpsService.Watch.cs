using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>Live scores, mapped by <see cref="WatchRpc"/>.</summary>
public sealed partial class NpsService
{
    [Authorize(Policy = ApiScopes.Read)]
    public override Task WatchScore(WatchScoreRequest request, IServerStreamWriter<WatchScoreResponse> responseStream, ServerCallContext context) =>
        watch.WatchAsync(request, responseStream, context);
}
