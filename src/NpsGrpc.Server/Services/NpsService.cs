using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Statistics;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using NpsGrpc.Server.Ingestion;
using NpsGrpc.V1;
using Granularity = NpsGrpc.Core.Time.Granularity;
using SegmentOrder = NpsGrpc.Core.Scoring.SegmentOrder;

namespace NpsGrpc.Server.Services;

/// <summary>The NpsService RPCs: maps requests to the domain and the store, and results back to the contract.</summary>
public sealed partial class NpsService(
    IScoreStore store,
    BatchIngestion batches,
    SubmissionPipeline submissions,
    RecordsRpc records,
    FollowUpRpc followUps,
    DayRetention retention,
    TimeProvider clock,
    KeyTermsRpc keyTerms,
    WatchRpc watch) : V1.NpsService.NpsServiceBase
{
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
