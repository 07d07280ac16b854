using System.Diagnostics;
using System.Diagnostics.Metrics;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Records;

namespace NpsGrpc.Core.Telemetry;

/// <summary>
/// The server's own instruments, on the meter <see cref="MeterName"/>: what ingestion, the store's scripts and the
/// follow-up queue did. Names and units follow the OpenTelemetry conventions (lowercase dotted names, UCUM units);
/// attribute values that the contract names are its enum value names, so a dashboard and a client read the same words.
/// docs/operations.md lists every instrument, and a test keeps that list equal to what this meter publishes.
/// </summary>
/// <remarks>
/// Ingestion handles tens of thousands of responses a second, so nothing here is recorded per response: a batch adds
/// its counts once per outcome, a flush once. With nothing listening (no exporter configured) each call is a check of
/// <see cref="Instrument.Enabled"/> or a no-op Add. Tags are string constants or cached boxes: recording allocates nothing.
/// </remarks>
public sealed class NpsMetrics
{
    public const string MeterName = "NpsGrpc";

    // Attribute names.
    internal const string OutcomeAttribute = "nps.response.outcome";
    internal const string ReasonAttribute = "nps.rejection.reason";
    internal const string DuplicateAttribute = "nps.batch.duplicate";
    internal const string ScriptAttribute = "nps.script";
    internal const string RedeliveredAttribute = "nps.follow_up.redelivered";
    internal const string FollowUpOutcomeAttribute = "nps.follow_up.outcome";
    internal const string ErrorTypeAttribute = "error.type";
    internal const string RpcSystemAttribute = "rpc.system.name";
    internal const string RpcMethodAttribute = "rpc.method";
    internal const string RpcStatusAttribute = "rpc.response.status_code";
    internal const string ErrorReasonAttribute = "nps.error.reason";

    /// <summary>The bounds the RPC conventions recommend for <c>rpc.server.call.duration</c>.</summary>
    internal static readonly double[] CallDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>
    /// Bucket bounds of the store-side durations, in seconds: a script is well under a millisecond on an idle Redis and
    /// a batch a few milliseconds, so the bounds start at 100 µs (the SDK's default bounds are for milliseconds).
    /// </summary>
    internal static readonly double[] StoreDurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>How long records waited before a worker got them: seconds to days.</summary>
    internal static readonly double[] AgeBuckets =
        [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600];

    private static readonly object True = true;
    private static readonly object False = false;

    internal static readonly string[] OutcomeNames = EnumNames<ResponseOutcome>("RESPONSE_OUTCOME_");
    internal static readonly string[] ReasonNames = EnumNames<RejectionKind>("REJECTION_REASON_");
    internal static readonly string[] FollowUpOutcomeNames = EnumNames<FollowUpOutcome>("FOLLOW_UP_OUTCOME_");
    internal static readonly string[] AcknowledgementProblemNames = EnumNames<AcknowledgementResult>("ACKNOWLEDGEMENT_PROBLEM_");

    private readonly Counter<long> _responses;
    private readonly Counter<long> _batches;
    private readonly Histogram<double> _applyDuration;
    private readonly Histogram<long> _flushShares;
    private readonly UpDownCounter<long> _submitStreams;
    private readonly Histogram<double> _scriptDuration;
    private readonly UpDownCounter<long> _followUpStreams;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryAge;
    private readonly Counter<long> _acknowledgements;
    private readonly UpDownCounter<long> _watchers;
    private readonly ObservableGauge<long> _backlog;
    private readonly ObservableGauge<double> _oldestWaiting;
    private readonly Histogram<double> _callDuration;

    /// <summary>The follow-up backlog as last sampled, which the backlog gauges report.</summary>
    public FollowUpBacklogReadings FollowUpBacklog { get; } = new();

    /// <summary>Whether anything collects the backlog gauges: sampling the backlog costs Redis scripts, for nobody otherwise.</summary>
    public bool FollowUpBacklogObserved => _backlog.Enabled || _oldestWaiting.Enabled;

    public NpsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _responses = meter.CreateCounter<long>(
            "nps.ingestion.responses", "{response}", "Responses of acknowledged batches, by what each did to the tallies (rejected ones by reason).");
        _batches = meter.CreateCounter<long>(
            "nps.ingestion.batches", "{batch}", "Batches acknowledged; a duplicate is a writer's sequence every product had applied already.");
        _applyDuration = meter.CreateHistogram(
            "nps.ingestion.apply.duration", "s", "From a batch handed to the group committer to every product of it applied (and on replicas, when required).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StoreDurationBuckets });
        _flushShares = meter.CreateHistogram(
            "nps.ingestion.flush.shares", "{share}", "Batches' shares of one product that one apply script carried (group commit).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _submitStreams = meter.CreateUpDownCounter<long>("nps.ingestion.streams.open", "{stream}", "SubmitResponses streams open on this instance.");
        _scriptDuration = meter.CreateHistogram(
            "nps.store.script.duration", "s", "Lua scripts sent to Redis, from the command handed to the client library to its reply.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StoreDurationBuckets });
        _followUpStreams = meter.CreateUpDownCounter<long>("nps.follow_up.streams.open", "{stream}", "StreamFollowUps streams open on this instance.");
        _deliveries = meter.CreateCounter<long>("nps.follow_up.deliveries", "{delivery}", "Records leased to follow-up workers.");
        _deliveryAge = meter.CreateHistogram(
            "nps.follow_up.delivery.age", "s", "Time from a record entering the follow-up queue to its delivery to a worker.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgeBuckets });
        _acknowledgements = meter.CreateCounter<long>(
            "nps.follow_up.acknowledgements", "{acknowledgement}", "Acknowledgements of follow-up deliveries, by outcome; refused ones carry error.type.");
        _backlog = meter.CreateObservableGauge(
            "nps.follow_up.backlog", FollowUpBacklog.Counts, "{record}",
            "Follow-up records waiting for a worker or in progress, per group and product, as last sampled.");
        _oldestWaiting = meter.CreateObservableGauge(
            "nps.follow_up.oldest_waiting.age", FollowUpBacklog.OldestWaitingAges, "s",
            "Time since the oldest follow-up record waiting for a worker was answered, per group and product, as last sampled.");
        _watchers = meter.CreateUpDownCounter<long>("nps.watchers.open", "{watcher}", "WatchScore streams open on this instance.");
        _callDuration = meter.CreateHistogram(
            "rpc.server.call.duration", "s", "Duration of inbound RPCs, streams included, by method and status (OpenTelemetry RPC conventions).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallDurationBuckets });
    }

    /// <summary>Records one acknowledged batch: its responses by outcome, and itself.</summary>
    /// <param name="batch">The folded batch (its valid responses and rejections).</param>
    /// <param name="outcomes">What the store did of its valid responses.</param>
    /// <param name="duplicate">Whether every product had applied the writer's sequence already.</param>
    public void BatchAcknowledged(FoldedBatch batch, BatchOutcomes outcomes, bool duplicate)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcomes);
        _batches.Add(1, new KeyValuePair<string, object?>(DuplicateAttribute, duplicate ? True : False));
        if (!_responses.Enabled)
        {
            return;
        }

        var counted = batch.AcceptedCount - outcomes.Replaced - outcomes.Superseded - outcomes.AlreadyApplied;
        AddResponses(ResponseOutcome.Counted, counted);
        AddResponses(ResponseOutcome.Replaced, outcomes.Replaced);
        AddResponses(ResponseOutcome.Superseded, outcomes.Superseded);
        AddResponses(ResponseOutcome.AlreadyApplied, outcomes.AlreadyApplied);
        if (batch.Rejections.Count == 0)
        {
            return;
        }

        Span<int> byReason = stackalloc int[ReasonNames.Length];
        foreach (var rejection in batch.Rejections)
        {
            byReason[(int)rejection.Kind]++;
        }

        for (var reason = 0; reason < byReason.Length; reason++)
        {
            if (byReason[reason] > 0)
            {
                _responses.Add(
                    byReason[reason],
                    new KeyValuePair<string, object?>(OutcomeAttribute, OutcomeNames[(int)ResponseOutcome.Rejected]),
                    new KeyValuePair<string, object?>(ReasonAttribute, ReasonNames[reason]));
            }
        }
    }

    private void AddResponses(ResponseOutcome outcome, int count)
    {
        if (count > 0)
        {
            _responses.Add(count, new KeyValuePair<string, object?>(OutcomeAttribute, OutcomeNames[(int)outcome]));
        }
    }

    /// <summary>A timestamp to give <see cref="BatchApplied"/> when the batch's apply ends; 0 when nothing listens.</summary>
    public long ApplyStarted() => _applyDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Records how long a batch took to apply, from <see cref="ApplyStarted"/>; <paramref name="failure"/> when it failed.</summary>
    public void BatchApplied(long started, Exception? failure = null)
    {
        if (started != 0)
        {
            RecordDuration(_applyDuration, Stopwatch.GetElapsedTime(started), failure);
        }
    }

    /// <summary>Records one apply script about to be sent for a product: how many shares it carries.</summary>
    public void FlushSent(int shares) => _flushShares.Record(shares);

    /// <summary>Counts a SubmitResponses stream as open until the returned scope is disposed.</summary>
    public OpenScope SubmitStreamOpened() => new(_submitStreams);

    /// <summary>Counts a StreamFollowUps stream as open until the returned scope is disposed.</summary>
    public OpenScope FollowUpStreamOpened() => new(_followUpStreams);

    /// <summary>
    /// Counts a WatchScore stream as open (<c>nps.watchers.open</c>) until the returned scope is disposed: call it once
    /// the watch is accepted (after validation) and dispose it when the stream ends, however it ends, e.g.
    /// <c>using var watching = metrics.WatcherOpened();</c> at the top of the handler's streaming loop.
    /// </summary>
    public OpenScope WatcherOpened() => new(_watchers);

    /// <summary>Whether <see cref="ScriptCompleted"/> records anything: the store skips timing its scripts when not.</summary>
    public bool ScriptsObserved => _scriptDuration.Enabled;

    /// <summary>Records one script's round trip; <paramref name="failure"/> when it failed (error.type is its type).</summary>
    public void ScriptCompleted(string script, TimeSpan elapsed, Exception? failure = null)
    {
        if (failure is null)
        {
            _scriptDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(ScriptAttribute, script));
        }
        else
        {
            _scriptDuration.Record(
                elapsed.TotalSeconds,
                new KeyValuePair<string, object?>(ScriptAttribute, script),
                new KeyValuePair<string, object?>(ErrorTypeAttribute, ErrorType(failure)));
        }
    }

    /// <summary>Records one round of deliveries to a worker at <paramref name="now"/>: their count and how long each record had waited.</summary>
    public void Delivered(IReadOnlyList<FollowUpDelivery> deliveries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        var redelivered = 0;
        var recordAge = _deliveryAge.Enabled;
        foreach (var delivery in deliveries)
        {
            var again = delivery.Attempt > 1;
            redelivered += again ? 1 : 0;
            if (recordAge)
            {
                // The entry id's time is Redis's clock when the apply script queued the record.
                var queued = DateTimeOffset.FromUnixTimeMilliseconds((long)delivery.AckId.Entry.Milliseconds);
                _deliveryAge.Record(
                    Math.Max(0, (now - queued).TotalSeconds), new KeyValuePair<string, object?>(RedeliveredAttribute, again ? True : False));
            }
        }

        if (deliveries.Count > redelivered)
        {
            _deliveries.Add(deliveries.Count - redelivered, new KeyValuePair<string, object?>(RedeliveredAttribute, False));
        }

        if (redelivered > 0)
        {
            _deliveries.Add(redelivered, new KeyValuePair<string, object?>(RedeliveredAttribute, True));
        }
    }

    /// <summary>Records one AcknowledgeFollowUps call: each acknowledgement by its outcome, those not taken by why.</summary>
    public void Acknowledged(IReadOnlyList<FollowUpAcknowledgement> acknowledgements, IReadOnlyList<AcknowledgementResult> results)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        ArgumentNullException.ThrowIfNull(results);
        if (!_acknowledgements.Enabled)
        {
            return;
        }

        Span<int> counts = stackalloc int[FollowUpOutcomeNames.Length * AcknowledgementProblemNames.Length];
        for (var i = 0; i < acknowledgements.Count; i++)
        {
            counts[((int)acknowledgements[i].Outcome * AcknowledgementProblemNames.Length) + (int)results[i]]++;
        }

        for (var cell = 0; cell < counts.Length; cell++)
        {
            if (counts[cell] == 0)
            {
                continue;
            }

            var outcome = new KeyValuePair<string, object?>(FollowUpOutcomeAttribute, FollowUpOutcomeNames[cell / AcknowledgementProblemNames.Length]);
            var result = (AcknowledgementResult)(cell % AcknowledgementProblemNames.Length);
            if (result == AcknowledgementResult.Taken)
            {
                _acknowledgements.Add(counts[cell], outcome);
            }
            else
            {
                _acknowledgements.Add(counts[cell], outcome, new KeyValuePair<string, object?>(ErrorTypeAttribute, AcknowledgementProblemNames[(int)result]));
            }
        }
    }

    /// <summary>Whether <see cref="CallCompleted"/> records anything: the server skips reading a call's status when not.</summary>
    public bool CallsObserved => _callDuration.Enabled;

    /// <summary>Records one RPC that ended.</summary>
    /// <param name="system">The RPC system, <c>grpc</c>.</param>
    /// <param name="method">The fully-qualified method (<c>nps.v1.NpsService/GetScore</c>), or <c>_OTHER</c> for one the server does not have.</param>
    /// <param name="status">The status code's name (<c>OK</c>, <c>UNAVAILABLE</c>).</param>
    /// <param name="serverError">Whether the status is the server's failure rather than the client's; then error.type is the status.</param>
    /// <param name="reason">The ErrorInfo reason the status carried, if any.</param>
    /// <param name="elapsed">How long the call lasted.</param>
    public void CallCompleted(string system, string method, string status, bool serverError, string? reason, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { RpcSystemAttribute, system },
            { RpcMethodAttribute, method },
            { RpcStatusAttribute, status },
        };
        if (serverError)
        {
            tags.Add(ErrorTypeAttribute, status);
        }

        if (reason is not null)
        {
            tags.Add(ErrorReasonAttribute, reason);
        }

        _callDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>The value of error.type for a failure: its exception's full type name, as the conventions suggest.</summary>
    internal static string ErrorType(Exception failure) => failure.GetType().FullName ?? failure.GetType().Name;

    private static void RecordDuration(Histogram<double> histogram, TimeSpan elapsed, Exception? failure)
    {
        if (failure is null)
        {
            histogram.Record(elapsed.TotalSeconds);
        }
        else
        {
            histogram.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(ErrorTypeAttribute, ErrorType(failure)));
        }
    }

    /// <summary>
    /// The contract's name of each value of a domain enum that mirrors a contract enum, indexed by the domain value:
    /// the contract's prefix and the member's name in capitals and underscores, so <c>ScoreOutOfRange</c> gives
    /// <c>REJECTION_REASON_SCORE_OUT_OF_RANGE</c>. The domain has no copy of the contract; a server test checks that
    /// every name used is one the contract's descriptors have.
    /// </summary>
    internal static string[] EnumNames<TEnum>(string prefix)
        where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var names = new string[values.Max(value => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        foreach (var value in values)
        {
            names[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = prefix + ScreamingSnake(value.ToString());
        }

        return names;
    }

    private static string ScreamingSnake(string pascal)
    {
        var snake = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                snake.Append('_');
            }

            snake.Append(char.ToUpperInvariant(pascal[i]));
        }

        return snake.ToString();
    }

    /// <summary>An open stream, counted until disposed (once).</summary>
    public sealed class OpenScope : IDisposable
    {
        private UpDownCounter<long>? _counter;

        internal OpenScope(UpDownCounter<long> counter)
        {
            _counter = counter;
            counter.Add(1);
        }

        public void Dispose() => Interlocked.Exchange(ref _counter, null)?.Add(-1);
    }
}
