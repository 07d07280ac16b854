using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using NpsGrpc.Server.Ingestion;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>The submission RPCs: every batch goes through <see cref="BatchIngestion"/>, a stream's flow control is <see cref="SubmissionPipeline"/>'s.</summary>
public sealed partial class NpsService
{
    [Authorize(Policy = ApiScopes.Submit)]
    public override Task SubmitResponses(
        IAsyncStreamReader<SubmitResponsesRequest> requestStream,
        IServerStreamWriter<SubmitResponsesResponse> responseStream,
        ServerCallContext context) =>
        submissions.RunAsync(requestStream, responseStream, context.CancellationToken);

    // Each call stands alone: no earlier call of the writer holds it back, so it needs no predecessors.
    [Authorize(Policy = ApiScopes.Submit)]
    public override Task<SubmitResponsesResponse> SubmitResponseBatch(SubmitResponsesRequest request, ServerCallContext context) =>
        batches.SubmitAsync(request);
}
