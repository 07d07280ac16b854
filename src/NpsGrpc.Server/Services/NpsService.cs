using Grpc.Core;
using Microsoft.Extensions.Options;
using NpsGrpc.V1;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Statistics;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Server.Services;

/// <summary>The NpsService RPCs: maps requests to the domain and the store, and results back to the contract.</summary>
public sealed class NpsService(
    IScoreStore store,
    IOptions<IngestionOptions> ingestion,
    IHostApplicationLifetime lifetime,
    ILogger<NpsService> logger) : V1.NpsService.NpsServiceBase
{
    private readonly int _maxResponsesPerBatch = ingestion.Value.MaxResponsesPerBatch;

    public override async Task SubmitResponses(
        IAsyncStreamReader<SubmitResponsesRequest> requestStream,
        IServerStreamWriter<SubmitResponsesResponse> responseStream,
        ServerCallContext context)
    {
        // Shutdown stops the reading of new batches only: a batch already read is applied and acknowledged first,
        // and the client re-sends anything unacknowledged to another instance.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var acked = 0;
        while (await NextBatchAsync(requestStream, acked, reading.Token).ConfigureAwait(false))
        {
            var ack = await ApplyAsync(requestStream.Current).ConfigureAwait(false);
            await responseStream.WriteAsync(ack, CancellationToken.None).ConfigureAwait(false);
            acked++;
        }
    }

    public override async Task<GetScoreResponse> GetScore(GetScoreRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var query = ScoreQuery.TryParse(request.ProductId, request.Segment, string.Empty, violations);
        AddIfAny(violations, ConfidenceLevel.TryCreate(request.ConfidencePercent, "confidence_percent", out var level));
        ThrowIfAny(violations);

        var score = await ScoreAsync(query!, level, context.CancellationToken).ConfigureAwait(false);
        return new GetScoreResponse { Score = ProtoMapping.ToProto(score) };
    }

    public override async Task<CompareScoresResponse> CompareScores(CompareScoresRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var first = ParseScope(request.First, "first", violations);
        var second = ParseScope(request.Second, "second", violations);
        AddIfAny(violations, ConfidenceLevel.TryCreate(request.ConfidencePercent, "confidence_percent", out var level));
        ThrowIfAny(violations);

        // Two products may live on two cluster nodes: read both at once.
        var firstScore = ScoreAsync(first!, level, context.CancellationToken);
        var secondScore = ScoreAsync(second!, level, context.CancellationToken);
        await Task.WhenAll(firstScore, secondScore).ConfigureAwait(false);

        var comparison = NpsStatistics.Compare(firstScore.Result.Counts, secondScore.Result.Counts, level);
        return ProtoMapping.ToProto(firstScore.Result, secondScore.Result, comparison);
    }

    private async Task<NpsScore> ScoreAsync(ScoreQuery query, ConfidenceLevel level, CancellationToken cancellationToken)
    {
        var distribution = await store.GetDistributionAsync(query, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, NotFoundMessage(query)));
        return NpsScore.From(distribution, level);
    }

    private static ScoreQuery? ParseScope(ScoreScope? scope, string field, List<FieldViolation> violations)
    {
        if (scope is null)
        {
            violations.Add(new FieldViolation(field, $"{field} is required."));
            return null;
        }

        return ScoreQuery.TryParse(scope.ProductId, scope.Segment, field + ".", violations);
    }

    private static void AddIfAny(List<FieldViolation> violations, FieldViolation? violation)
    {
        if (violation is not null)
        {
            violations.Add(violation);
        }
    }

    private static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new RequestValidationException(violations);
        }
    }

    private async Task<bool> NextBatchAsync(IAsyncStreamReader<SubmitResponsesRequest> requestStream, int acked, CancellationToken reading)
    {
        try
        {
            return await requestStream.MoveNext(reading).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            ServerLog.StreamEndedForShutdown(logger, acked);
            throw new RpcException(new Status(
                StatusCode.Unavailable,
                "The server is shutting down; re-send unacknowledged batches with the same writer_id and sequence."));
        }
    }

    private async Task<SubmitResponsesResponse> ApplyAsync(SubmitResponsesRequest request)
    {
        var violations = SubmitBatchValidator.Validate(request.WriterId, request.Sequence, request.Responses.Count, _maxResponsesPerBatch);
        if (violations.Count > 0)
        {
            throw new RequestValidationException(violations);
        }

        var batch = BatchFolder.Fold(ProtoMapping.ToAnswers(request.Responses));
        var stamp = SubmitBatchValidator.StampOf(request.WriterId, request.Sequence);

        // Not cancellable: once scripts are sent, abandoning them would only hide whether they applied.
        var outcome = await store.ApplyAsync(stamp, batch.Products, CancellationToken.None).ConfigureAwait(false);
        if (outcome.IsDuplicate)
        {
            ServerLog.BatchDuplicate(logger, request.WriterId, request.Sequence);
        }
        else
        {
            ServerLog.BatchApplied(
                logger, request.WriterId, request.Sequence, batch.AcceptedCount, batch.Rejections.Count, outcome.AppliedProducts, outcome.DuplicateProducts);
        }

        return ProtoMapping.ToAck(request.Sequence, batch, outcome);
    }

    private static string NotFoundMessage(ScoreQuery query) => query.Segment is { } label
        ? $"Product '{query.ProductId}' has no responses with segment {label}."
        : $"Product '{query.ProductId}' has no responses.";
}
