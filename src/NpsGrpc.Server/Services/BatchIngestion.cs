using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Validation;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>
/// One batch as SubmitResponses and SubmitResponseBatch both take it: the request's own rules, the fold, the
/// committer and the acknowledgement. Both RPCs go through here, so a batch gets the same acknowledgement, the same
/// exactly-once rules and the same errors whichever way it came.
/// </summary>
public sealed class BatchIngestion(
    IngestionCommitter committer,
    IOptions<IngestionOptions> ingestion,
    FoldContexts folding,
    TimeProvider clock,
    ILogger<BatchIngestion> logger)
{
    private readonly int _maxResponsesPerBatch = ingestion.Value.MaxResponsesPerBatch;

    /// <summary>Validates and folds one batch submitted on its own: no earlier batch of its writer holds it back.</summary>
    public Task<SubmitResponsesResponse> SubmitAsync(SubmitResponsesRequest request) => ApplyAsync(Prepare(request), predecessors: null);

    /// <summary>
    /// The request's rules (a <see cref="RequestValidationException"/> when it is malformed as a whole, so nothing
    /// of it counts), then its responses folded into per-product increments.
    /// </summary>
    public PreparedBatch Prepare(SubmitResponsesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = SubmitBatchValidator.Validate(request.WriterId, request.Sequence, request.Responses.Count, _maxResponsesPerBatch);
        if (violations.Count > 0)
        {
            throw new RequestValidationException(violations);
        }

        var batch = BatchFolder.Fold(ProtoMapping.ToAnswers(request.Responses), folding.At(clock.GetUtcNow()));
        return new PreparedBatch(request.WriterId, request.Sequence, batch);
    }

    /// <summary>
    /// Applies the batch through the committer and answers its acknowledgement. <paramref name="predecessors"/> (one per
    /// product of the batch, 0 for none) are the writer's sequences each product must have applied first
    /// (<see cref="IngestionCommitter.ApplyAsync"/>); null when nothing comes before this batch.
    /// </summary>
    public async Task<SubmitResponsesResponse> ApplyAsync(PreparedBatch prepared, IReadOnlyList<long>? predecessors)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var (writerId, sequence, batch) = prepared;

        // Not cancellable: once scripts are sent, abandoning them would only hide whether they applied.
        var outcome = await committer.ApplyAsync(prepared.Stamp, batch.Products, predecessors).ConfigureAwait(false);
        if (outcome.IsDuplicate)
        {
            ServerLog.BatchDuplicate(logger, writerId, sequence);
        }
        else
        {
            ServerLog.BatchApplied(
                logger, writerId, sequence, batch.AcceptedCount, batch.Rejections.Count, outcome.AppliedProducts, outcome.DuplicateProducts);
        }

        return ProtoMapping.ToAck(sequence, batch, outcome);
    }
}

/// <summary>A batch validated and folded, waiting for its turn in the store.</summary>
public sealed record PreparedBatch(string WriterId, long Sequence, FoldedBatch Batch)
{
    /// <summary>The stamp to deduplicate with, or null for at-least-once delivery.</summary>
    public WriterStamp? Stamp { get; } = SubmitBatchValidator.StampOf(WriterId, Sequence);
}
