using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;

namespace NpsGrpc.Core.Tests.Telemetry;

public sealed class NpsMetricsTests : IDisposable
{
    private static readonly Dictionary<string, string> NoSegments = [];

    private readonly RecordedMeasurements _recorded = new();
    private readonly NpsMetrics _metrics;

    public NpsMetricsTests() => _metrics = new NpsMetrics(_recorded);

    public void Dispose() => _recorded.Dispose();

    [Fact]
    public void A_batch_adds_its_responses_once_per_outcome_and_its_rejections_once_per_reason()
    {
        var batch = BatchFolder.Fold(
            [
                new SurveyAnswer("p1", 10, NoSegments),
                new SurveyAnswer("p1", 9, NoSegments, RespondentId: "alice"),
                new SurveyAnswer("p1", 8, NoSegments, RespondentId: "bob"),
                new SurveyAnswer("p2", 3, NoSegments),
                new SurveyAnswer("p1", 11, NoSegments),
                new SurveyAnswer("p1", 12, NoSegments),
                new SurveyAnswer("p1", null, NoSegments),
            ],
            TestContexts.Fold);
        var stored = new Dictionary<int, ResponseOutcome> { [1] = ResponseOutcome.Replaced, [2] = ResponseOutcome.Superseded };

        _metrics.BatchAcknowledged(batch, BatchOutcomes.Resolve(batch, new ApplyOutcome(2, 0, stored)), duplicate: false);

        Assert.Equal(
            [
                (1, "nps.rejection.reason=REJECTION_REASON_MISSING_SCORE,nps.response.outcome=RESPONSE_OUTCOME_REJECTED"),
                (2, "nps.rejection.reason=REJECTION_REASON_SCORE_OUT_OF_RANGE,nps.response.outcome=RESPONSE_OUTCOME_REJECTED"),
                (2, "nps.response.outcome=RESPONSE_OUTCOME_COUNTED"),
                (1, "nps.response.outcome=RESPONSE_OUTCOME_REPLACED"),
                (1, "nps.response.outcome=RESPONSE_OUTCOME_SUPERSEDED"),
            ],
            _recorded.Of("nps.ingestion.responses").Select(m => ((int)m.Value, m.Tags)).OrderBy(m => m.Tags, StringComparer.Ordinal));
        Assert.Equal([(1, "nps.batch.duplicate=False")], _recorded.Of("nps.ingestion.batches").Select(m => ((int)m.Value, m.Tags)));
    }

    [Fact]
    public void A_duplicate_counts_its_valid_responses_as_already_applied_and_itself_as_a_duplicate()
    {
        var batch = BatchFolder.Fold([new SurveyAnswer("p1", 10, NoSegments), new SurveyAnswer("p1", 7, NoSegments)], TestContexts.Fold);

        _metrics.BatchAcknowledged(batch, BatchOutcomes.Resolve(batch, new ApplyOutcome(0, 1, null, new HashSet<int> { 0 })), duplicate: true);

        Assert.Equal([(2, "nps.response.outcome=RESPONSE_OUTCOME_ALREADY_APPLIED")], _recorded.Of("nps.ingestion.responses").Select(m => ((int)m.Value, m.Tags)));
        Assert.Equal(1, _recorded.Sum("nps.ingestion.batches", "nps.batch.duplicate=True"));
    }

    [Fact]
    public void An_open_stream_counts_until_it_is_disposed_once_however_often_it_is_disposed()
    {
        var first = _metrics.SubmitStreamOpened();
        var second = _metrics.SubmitStreamOpened();
        var watcher = _metrics.WatcherOpened();
        first.Dispose();
        first.Dispose();

        Assert.Equal(1, _recorded.Sum("nps.ingestion.streams.open"));
        Assert.Equal(1, _recorded.Sum("nps.watchers.open"));

        second.Dispose();
        watcher.Dispose();
        using var followUps = _metrics.FollowUpStreamOpened();

        Assert.Equal(0, _recorded.Sum("nps.ingestion.streams.open"));
        Assert.Equal(0, _recorded.Sum("nps.watchers.open"));
        Assert.Equal(1, _recorded.Sum("nps.follow_up.streams.open"));
    }

    [Fact]
    public void A_failed_script_or_batch_names_its_exception_type_as_error_type()
    {
        _metrics.ScriptCompleted("apply", TimeSpan.FromMilliseconds(2));
        _metrics.ScriptCompleted("apply", TimeSpan.FromMilliseconds(3), new ScoreStoreUnavailableException("down"));
        var started = _metrics.ApplyStarted();
        _metrics.BatchApplied(started, new ScoreStoreConflictException("raced"));

        Assert.Equal(
            [(0.002, "nps.script=apply"), (0.003, "error.type=NpsGrpc.Core.Storage.ScoreStoreUnavailableException,nps.script=apply")],
            _recorded.Of("nps.store.script.duration"));
        Assert.Equal("error.type=NpsGrpc.Core.Storage.ScoreStoreConflictException", Assert.Single(_recorded.Of("nps.ingestion.apply.duration")).Tags);
        Assert.NotEqual(0, started);
    }

    [Fact]
    public void Deliveries_count_first_ones_apart_from_redeliveries_and_each_records_how_long_its_record_waited()
    {
        var queued = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var now = queued.AddSeconds(90);

        _metrics.Delivered([Delivery(queued, attempt: 1), Delivery(queued.AddSeconds(30), attempt: 1), Delivery(queued, attempt: 3)], now);

        Assert.Equal(2, _recorded.Sum("nps.follow_up.deliveries", "nps.follow_up.redelivered=False"));
        Assert.Equal(1, _recorded.Sum("nps.follow_up.deliveries", "nps.follow_up.redelivered=True"));
        Assert.Equal(
            [(90, "nps.follow_up.redelivered=False"), (60, "nps.follow_up.redelivered=False"), (90, "nps.follow_up.redelivered=True")],
            _recorded.Of("nps.follow_up.delivery.age"));
    }

    [Fact]
    public void Acknowledgements_count_by_outcome_and_those_not_taken_name_their_problem()
    {
        FollowUpAcknowledgement Ack(FollowUpOutcome outcome) => new(Delivery(DateTimeOffset.UnixEpoch, 1).AckId, outcome, string.Empty);

        _metrics.Acknowledged(
            [Ack(FollowUpOutcome.Contacted), Ack(FollowUpOutcome.Contacted), Ack(FollowUpOutcome.Resolved), Ack(FollowUpOutcome.Contacted), Ack(FollowUpOutcome.Escalated)],
            [AcknowledgementResult.Taken, AcknowledgementResult.Taken, AcknowledgementResult.Taken, AcknowledgementResult.StaleLease, AcknowledgementResult.Unknown]);

        Assert.Equal(
            [
                (1, "error.type=ACKNOWLEDGEMENT_PROBLEM_STALE_LEASE,nps.follow_up.outcome=FOLLOW_UP_OUTCOME_CONTACTED"),
                (1, "error.type=ACKNOWLEDGEMENT_PROBLEM_UNKNOWN,nps.follow_up.outcome=FOLLOW_UP_OUTCOME_ESCALATED"),
                (2, "nps.follow_up.outcome=FOLLOW_UP_OUTCOME_CONTACTED"),
                (1, "nps.follow_up.outcome=FOLLOW_UP_OUTCOME_RESOLVED"),
            ],
            _recorded.Of("nps.follow_up.acknowledgements").Select(m => ((int)m.Value, m.Tags)).OrderBy(m => m.Tags, StringComparer.Ordinal));
    }

    [Fact]
    public void A_call_carries_error_type_only_for_a_server_error_and_its_reason_when_it_has_one()
    {
        _metrics.CallCompleted("grpc", "nps.v1.NpsService/GetScore", "OK", serverError: false, reason: null, TimeSpan.FromMilliseconds(1));
        _metrics.CallCompleted("grpc", "nps.v1.NpsService/GetScore", "NOT_FOUND", serverError: false, "ERROR_REASON_PRODUCT_NOT_FOUND", TimeSpan.FromMilliseconds(1));
        _metrics.CallCompleted("grpc", "nps.v1.NpsService/GetScore", "UNAVAILABLE", serverError: true, "ERROR_REASON_STORE_UNAVAILABLE", TimeSpan.FromMilliseconds(1));

        Assert.Equal(
            [
                "rpc.method=nps.v1.NpsService/GetScore,rpc.response.status_code=OK,rpc.system.name=grpc",
                "nps.error.reason=ERROR_REASON_PRODUCT_NOT_FOUND,rpc.method=nps.v1.NpsService/GetScore,rpc.response.status_code=NOT_FOUND,rpc.system.name=grpc",
                "error.type=UNAVAILABLE,nps.error.reason=ERROR_REASON_STORE_UNAVAILABLE,rpc.method=nps.v1.NpsService/GetScore,rpc.response.status_code=UNAVAILABLE,rpc.system.name=grpc",
            ],
            _recorded.Of("rpc.server.call.duration").Select(m => m.Tags));
    }

    [Fact]
    public void Nothing_listening_means_no_timestamp_is_taken_and_nothing_is_recorded()
    {
        var metrics = new NpsMetrics(new OtherFactory());

        Assert.Equal(0, metrics.ApplyStarted());
        Assert.False(metrics.ScriptsObserved);
        Assert.False(metrics.CallsObserved);
        Assert.False(metrics.FollowUpBacklogObserved);
        Assert.True(_metrics.ScriptsObserved);
        Assert.True(_metrics.FollowUpBacklogObserved);
    }

    [Fact]
    public void The_backlog_gauges_report_the_last_reading_of_each_group_and_product_and_drop_the_pairs_no_longer_sampled()
    {
        var sampledAt = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        _metrics.FollowUpBacklog.Set("care", new FollowUpBacklog("shop", 7, 2, 40, sampledAt.AddMinutes(-90), 0, null), sampledAt);
        _metrics.FollowUpBacklog.Set("care", new FollowUpBacklog("shop", 5, 1, 43, sampledAt.AddMinutes(-30), 0, null), sampledAt);
        _metrics.FollowUpBacklog.Set("care", new FollowUpBacklog("app", 0, 3, 9, null, 0, null), sampledAt);

        _recorded.Observe();

        Assert.Equal(
            [
                (0, "nps.follow_up.group=care,nps.follow_up.state=waiting,nps.product.id=app"),
                (3, "nps.follow_up.group=care,nps.follow_up.state=in_progress,nps.product.id=app"),
                (5, "nps.follow_up.group=care,nps.follow_up.state=waiting,nps.product.id=shop"),
                (1, "nps.follow_up.group=care,nps.follow_up.state=in_progress,nps.product.id=shop"),
            ],
            _recorded.Of("nps.follow_up.backlog").OrderBy(m => m.Tags.Contains("=shop", StringComparison.Ordinal)).ThenBy(m => m.Tags.Contains("in_progress", StringComparison.Ordinal)));
        // Only shop has a record waiting: 30 minutes old when sampled.
        Assert.Equal([(1800, "nps.follow_up.group=care,nps.product.id=shop")], _recorded.Of("nps.follow_up.oldest_waiting.age"));

        _metrics.FollowUpBacklog.RetainOnly([("care", ["app"])]);
        _recorded.Observe();

        Assert.Equal(6, _recorded.Of("nps.follow_up.backlog").Count);
        Assert.Single(_recorded.Of("nps.follow_up.oldest_waiting.age"));
    }

    private static FollowUpDelivery Delivery(DateTimeOffset queued, int attempt) => new(
        new FollowUpAckId("p1", "support", new StreamEntryId((ulong)queued.ToUnixTimeMilliseconds(), 0), "worker-1", attempt),
        new ResponseRecord("r1", "p1", 3, queued, null, NoSegments, null, "en", RecordState.Counted, queued, []),
        queued.AddMinutes(5));

    /// <summary>A factory whose meters no listener of these tests enables.</summary>
    private sealed class OtherFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) =>
            new(new System.Diagnostics.Metrics.MeterOptions(options.Name) { Scope = this });

        public void Dispose()
        {
        }
    }
}
