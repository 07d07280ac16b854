using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Statistics;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using NpsGrpc.V1;
using Granularity = NpsGrpc.Core.Time.Granularity;
using SegmentOrder = NpsGrpc.Core.Scoring.SegmentOrder;

namespace NpsGrpc.Server.Services;

/// <summary>The NpsService RPCs: maps requests to the domain and the store, and results back to the contract.</summary>
public sealed partial class NpsService(
    IScoreStore store,
    IngestionCommitter committer,
    RecordsRpc records,
    FollowUpRpc followUps,
    IOptions<IngestionOptions> ingestion,
    FoldContexts folding,
    DayRetention retention,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    KeyTermsRpc keyTerms,
    WatchRpc watch,
    ILogger<NpsService> logger) : V1.NpsService.NpsServiceBase
{
    private readonly int _maxResponsesPerBatch = ingestion.Value.MaxResponsesPerBatch;

    [Authorize(Policy = ApiScopes.Submit)]
    public override async Task SubmitResponses(
        IAsyncStreamReader<SubmitResponsesRequest> requestStream,
        IServerStreamWriter<SubmitResponsesResponse> responseStream,
        ServerCallContext context)
    {
        // Shutdown stops the reading of new batches only: a batch already read is applied and acknowledged first,
        // and the client re-sends anything unacknowledged to another instance.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var stream = new StreamState();
        var inFlight = new Queue<Task<SubmitResponsesResponse>>();
        var next = ReadNextAsync(requestStream, 0, reading.Token);
        try
        {
            // Up to MaxBatchesInFlight batches are with the committer at once (merged there with those of every other
            // stream) while the next request is read and folded; acks leave in order. A malformed request, a cancelled
            // call or shutdown ends the stream only after every batch read before it is applied and acknowledged.
            while (true)
            {
                if (inFlight.Count > 0 && (inFlight.Peek().IsCompleted || inFlight.Count >= MaxBatchesInFlight || next.IsFaulted || next.IsCanceled))
                {
                    await AcknowledgeOldestAsync(inFlight, responseStream, stream).ConfigureAwait(false);
                    continue;
                }

                if (inFlight.Count > 0 && !next.IsCompleted)
                {
                    await Task.WhenAny(next, inFlight.Peek()).ConfigureAwait(false);
                    continue;
                }

                if (await next.ConfigureAwait(false) is not { } batch)
                {
                    break;
                }

                inFlight.Enqueue(ApplyAsync(batch, stream));
                next = ReadNextAsync(requestStream, stream.Acked, reading.Token);
            }

            await DrainAsync(inFlight, responseStream, stream).ConfigureAwait(false);
        }
        catch
        {
            // The stream ends: stop reading, and let what is already in Redis finish before the call goes.
            await reading.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll([.. inFlight, next]).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Batches of one stream being applied at once, each behind the same writer's earlier ones (see ApplyAsync). The
    /// committer keeps each product's shares in order and reads respondents' earlier answers only when it is their
    /// product's turn, so batches with respondent answers pipeline like the others.
    /// </summary>
    internal const int MaxBatchesInFlight = 8;

    private static async Task AcknowledgeOldestAsync(
        Queue<Task<SubmitResponsesResponse>> inFlight, IServerStreamWriter<SubmitResponsesResponse> responseStream, StreamState stream)
    {
        var ack = await inFlight.Peek().ConfigureAwait(false);
        _ = inFlight.Dequeue();
        await responseStream.WriteAsync(ack, CancellationToken.None).ConfigureAwait(false);
        stream.Acked++;
    }

    private static async Task DrainAsync(
        Queue<Task<SubmitResponsesResponse>> inFlight, IServerStreamWriter<SubmitResponsesResponse> responseStream, StreamState stream)
    {
        while (inFlight.Count > 0)
        {
            await AcknowledgeOldestAsync(inFlight, responseStream, stream).ConfigureAwait(false);
        }
    }

    [Authorize(Policy = ApiScopes.Read)]
    public override async Task<GetScoreResponse> GetScore(GetScoreRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        var violations = new List<FieldViolation>();
        var query = ScoreQuery.TryParse(request.ProductId, request.Segment, string.Empty, violations);
        AddIfAny(violations, ConfidenceLevel.TryCreate(request.ConfidencePercent, "confidence_percent", out var level));
        var interval = IntervalRules.Parse(
            ProtoMapping.ToInstant(request.StartTime), ProtoMapping.ToInstant(request.EndTime), now, string.Empty, violations);
        ThrowIfAny(violations);

        var score = await ScoreAsync(query!, interval, level, now, context.CancellationToken).ConfigureAwait(false);
        return new GetScoreResponse { Score = ProtoMapping.ToProto(score) };
    }

    [Authorize(Policy = ApiScopes.Read)]
    public override async Task<CompareScoresResponse> CompareScores(CompareScoresRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        var violations = new List<FieldViolation>();
        var first = ParseScope(request.First, "first", now, violations);
        var second = ParseScope(request.Second, "second", now, violations);
        AddIfAny(violations, ConfidenceLevel.TryCreate(request.ConfidencePercent, "confidence_percent", out var level));
        ThrowIfAny(violations);

        // Two products may live on two cluster nodes: read both at once.
        var firstScore = ScoreAsync(first!.Value.Query, first.Value.Interval, level, now, context.CancellationToken);
        var secondScore = ScoreAsync(second!.Value.Query, second.Value.Interval, level, now, context.CancellationToken);
        await Task.WhenAll(firstScore, secondScore).ConfigureAwait(false);

        foreach (var (score, field) in new[] { (firstScore.Result, "first"), (secondScore.Result, "second") })
        {
            if (score.Total == 0)
            {
                throw ErrorStatus.NoResponsesInInterval(field);
            }
        }

        var comparison = NpsStatistics.Compare(firstScore.Result.Counts, secondScore.Result.Counts, level);
        return ProtoMapping.ToProto(firstScore.Result, secondScore.Result, comparison);
    }

    [Authorize(Policy = ApiScopes.Read)]
    public override async Task<GetScoreTrendResponse> GetScoreTrend(GetScoreTrendRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        var violations = new List<FieldViolation>();
        var query = ScoreQuery.TryParse(request.ProductId, request.Segment, string.Empty, violations);
        AddIfAny(violations, ConfidenceLevel.TryCreate(request.ConfidencePercent, "confidence_percent", out var level));
        var granularity = request.Granularity switch
        {
            V1.Granularity.Day => Granularity.Day,
            V1.Granularity.Week => Granularity.Week,
            V1.Granularity.Month => Granularity.Month,
            _ => (Granularity?)null,
        };
        if (granularity is null)
        {
            violations.Add(new FieldViolation(
                "granularity",
                $"granularity must be GRANULARITY_DAY, GRANULARITY_WEEK or GRANULARITY_MONTH; got {ProtoMapping.ProtoName(request.Granularity)}."));
        }

        if (request.StartTime is null)
        {
            violations.Add(new FieldViolation("start_time", "start_time is required for a trend."));
        }

        var end = ProtoMapping.ToInstant(request.EndTime) ?? (granularity is { } g ? EndOfCurrentPeriod(now, g) : null);
        var range = request.StartTime is null ? null : IntervalRules.Parse(ProtoMapping.ToInstant(request.StartTime), end, now, string.Empty, violations);
        var points = range is { } r && granularity is { } gr ? TrendPlanner.Plan(r, gr, request.RollingWindowDays, violations) : [];
        ThrowIfAny(violations);

        var windows = points.Select(point => IntervalRules.Readable(point.Window.Buckets(), now)).ToList();
        ExpiredDaysException.ThrowIfAnyExpired(windows.SelectMany(window => window), retention, now);
        var distributions = await store.GetWindowsAsync(query!, windows, context.CancellationToken).ConfigureAwait(false)
            ?? throw ErrorStatus.NotFound(query!);

        var response = new GetScoreTrendResponse();
        for (var i = 0; i < points.Count; i++)
        {
            response.Points.Add(new V1.TrendPoint
            {
                PeriodStart = ProtoMapping.ToTimestamp(points[i].PeriodStart),
                PeriodEnd = ProtoMapping.ToTimestamp(points[i].PeriodEnd),
                WindowStart = ProtoMapping.ToTimestamp(points[i].Window.Start),
                Score = ProtoMapping.ToProto(NpsScore.From(distributions[i], level)),
            });
        }

        return response;
    }

    [Authorize(Policy = ApiScopes.Read)]
    public override async Task<ListSegmentsResponse> ListSegments(ListSegmentsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var product = ScoreQuery.TryParse(request.ProductId, string.Empty, string.Empty, violations);
        AddIfAny(violations, ConfidenceLevel.TryCreate(request.ConfidencePercent, "confidence_percent", out var level));
        var order = request.OrderBy == V1.SegmentOrder.Nps ? SegmentOrder.Nps : SegmentOrder.Total;
        if (!Enum.IsDefined(request.OrderBy))
        {
            violations.Add(new FieldViolation(
                "order_by",
                $"order_by must be SEGMENT_ORDER_UNSPECIFIED, SEGMENT_ORDER_TOTAL or SEGMENT_ORDER_NPS; got {ProtoMapping.ProtoName(request.OrderBy)}."));
        }

        AddIfAny(violations, SegmentPage.TryParse(request.ProductId, order, request.PageSize, request.PageToken, out var page));
        ThrowIfAny(violations);

        var segments = await store.GetSegmentsAsync(request.ProductId, context.CancellationToken).ConfigureAwait(false)
            ?? throw ErrorStatus.NotFound(product!);
        var (items, nextToken) = page.Take(segments.Select(segment => (segment.Label, NpsScore.From(segment.Distribution, level))));

        var response = new ListSegmentsResponse { NextPageToken = nextToken };
        foreach (var (label, score) in items)
        {
            response.Segments.Add(new SegmentScore { Segment = label.ToString(), Score = ProtoMapping.ToProto(score) });
        }

        return response;
    }

    private async Task<NpsScore> ScoreAsync(ScoreQuery query, DayInterval? interval, ConfidenceLevel level, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (interval is not { } days)
        {
            var allTime = await store.GetDistributionAsync(query, cancellationToken).ConfigureAwait(false) ?? throw ErrorStatus.NotFound(query);
            return NpsScore.From(allTime, level);
        }

        var buckets = IntervalRules.Readable(days.Buckets(), now);
        ExpiredDaysException.ThrowIfAnyExpired(buckets, retention, now);
        var windows = await store.GetWindowsAsync(query, [buckets], cancellationToken).ConfigureAwait(false) ?? throw ErrorStatus.NotFound(query);
        return NpsScore.From(windows[0], level);
    }

    private static (ScoreQuery Query, DayInterval? Interval)? ParseScope(ScoreScope? scope, string field, DateTimeOffset now, List<FieldViolation> violations)
    {
        if (scope is null)
        {
            violations.Add(new FieldViolation(field, $"{field} is required."));
            return null;
        }

        var before = violations.Count;
        var query = ScoreQuery.TryParse(scope.ProductId, scope.Segment, field + ".", violations);
        var interval = IntervalRules.Parse(ProtoMapping.ToInstant(scope.StartTime), ProtoMapping.ToInstant(scope.EndTime), now, field + ".", violations);
        return violations.Count > before ? null : (query!, interval);
    }

    private static DateTimeOffset EndOfCurrentPeriod(DateTimeOffset now, Granularity granularity)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var end = granularity switch
        {
            Granularity.Day => today.AddDays(1),
            Granularity.Week => today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7)),
            _ => new DateOnly(today.Year, today.Month, 1).AddMonths(1),
        };
        return DayInterval.StartOf(end);
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
            throw ErrorStatus.ShuttingDown();
        }
    }

    /// <summary>Reads the next batch and validates and folds it; null when the client has sent its last batch.</summary>
    private async Task<PreparedBatch?> ReadNextAsync(IAsyncStreamReader<SubmitResponsesRequest> requestStream, int acked, CancellationToken reading)
    {
        if (!await NextBatchAsync(requestStream, acked, reading).ConfigureAwait(false))
        {
            return null;
        }

        var request = requestStream.Current;
        var violations = SubmitBatchValidator.Validate(request.WriterId, request.Sequence, request.Responses.Count, _maxResponsesPerBatch);
        if (violations.Count > 0)
        {
            throw new RequestValidationException(violations);
        }

        var batch = BatchFolder.Fold(ProtoMapping.ToAnswers(request.Responses), folding.At(clock.GetUtcNow()));
        return new PreparedBatch(request.WriterId, request.Sequence, batch);
    }

    private async Task<SubmitResponsesResponse> ApplyAsync(PreparedBatch prepared, StreamState stream)
    {
        var (writerId, sequence, batch) = prepared;
        var stamp = SubmitBatchValidator.StampOf(writerId, sequence);

        // While the writer's previous batch with a product is still in flight, this batch's script for that product
        // must find it applied, or it refuses: a later sequence never overtakes an earlier one that failed.
        long[]? predecessors = null;
        var mark = new SentBatch(sequence);
        if (stamp is not null)
        {
            predecessors = new long[batch.Products.Count];
            for (var i = 0; i < predecessors.Length; i++)
            {
                var key = (writerId, batch.Products[i].ProductId);
                predecessors[i] = stream.LastSent.TryGetValue(key, out var previous) && !previous.Applied ? previous.Sequence : 0;
                stream.LastSent[key] = mark;
            }
        }

        // Not cancellable: once scripts are sent, abandoning them would only hide whether they applied.
        var outcome = await committer.ApplyAsync(stamp, batch.Products, predecessors).ConfigureAwait(false);
        mark.Applied = true;
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

    /// <summary>
    /// What one SubmitResponses stream remembers: how many batches it acknowledged, and per writer and product the
    /// last batch it sent to the store.
    /// </summary>
    private sealed class StreamState
    {
        public int Acked { get; set; }

        public Dictionary<(string Writer, string Product), SentBatch> LastSent { get; } = [];
    }

    /// <summary>A batch sent to the store; <see cref="Applied"/> once every product of it is.</summary>
    private sealed class SentBatch(long sequence)
    {
        private volatile bool _applied;

        public long Sequence { get; } = sequence;

        public bool Applied
        {
            get => _applied;
            set => _applied = value;
        }
    }

    /// <summary>A batch read from the stream, validated and folded, waiting for its turn in the store.</summary>
    private sealed record PreparedBatch(string WriterId, long Sequence, FoldedBatch Batch);

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
}
