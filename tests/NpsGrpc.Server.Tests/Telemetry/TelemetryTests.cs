using System.Diagnostics;
using System.Net;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Telemetry;

/// <summary>
/// The server's metrics and traces as its exporters get them, moved by the traffic each test sends: every value is
/// the change between two readings, since the server counts from its start.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryServerFixture fixture)
{
    private const string ResponsesMetric = "nps.ingestion.responses";
    private const string CallMetric = "rpc.server.call.duration";

    [Fact]
    public async Task Responses_are_counted_by_outcome_and_rejection_reason_batches_by_duplicate_and_the_stream_while_open()
    {
        var product = UniqueProduct("telemetry");
        var writer = UniqueProduct("writer");
        var now = DateTimeOffset.UtcNow;
        var first = Batch(
            [
                Answer(product, 10), Answer(product, 9), Answer(product, 3), Answer(product, 7).By("r1").AnsweredAt(now.AddHours(-3)),
                Answer(product, 11), Answer(string.Empty, 5),
            ],
            writer,
            1);
        var replacing = Batch([Answer(product, 2).By("r1").AnsweredAt(now.AddHours(-1))], writer, 2);
        var superseded = Batch([Answer(product, 8).By("r1").AnsweredAt(now.AddHours(-2))], writer, 3);
        var before = fixture.ReadMetrics();
        MetricsReading open;
        using (var stream = new SubmissionStream(fixture.Client))
        {
            Assert.Equal(4, (await stream.SubmitAsync(first)).AcceptedCount);
            Assert.Equal(1, (await stream.SubmitAsync(replacing)).ReplacedCount);
            Assert.Equal(1, (await stream.SubmitAsync(superseded)).SupersededCount);
            Assert.True((await stream.SubmitAsync(first)).Duplicate);
            open = fixture.ReadMetrics();
            await stream.CompleteAsync();
        }

        var after = await fixture.ReadMetricsWhenAsync(reading =>
            reading["nps.ingestion.streams.open"] == before["nps.ingestion.streams.open"] && CallsOf(reading, "SubmitResponses", "OK") > CallsOf(before, "SubmitResponses", "OK"));

        Assert.Equal(
            new Dictionary<(string, string), double>
            {
                [(ResponsesMetric, "nps.response.outcome=RESPONSE_OUTCOME_COUNTED")] = 4,
                [(ResponsesMetric, "nps.response.outcome=RESPONSE_OUTCOME_REPLACED")] = 1,
                [(ResponsesMetric, "nps.response.outcome=RESPONSE_OUTCOME_SUPERSEDED")] = 1,
                [(ResponsesMetric, "nps.response.outcome=RESPONSE_OUTCOME_ALREADY_APPLIED")] = 4,
                [(ResponsesMetric, "nps.rejection.reason=REJECTION_REASON_SCORE_OUT_OF_RANGE,nps.response.outcome=RESPONSE_OUTCOME_REJECTED")] = 2,
                [(ResponsesMetric, "nps.rejection.reason=REJECTION_REASON_INVALID_PRODUCT_ID,nps.response.outcome=RESPONSE_OUTCOME_REJECTED")] = 2,
            },
            after.Since(before, ResponsesMetric));
        Assert.Equal(
            new Dictionary<(string, string), double>
            {
                [("nps.ingestion.batches", "nps.batch.duplicate=False")] = 3,
                [("nps.ingestion.batches", "nps.batch.duplicate=True")] = 1,
            },
            after.Since(before, "nps.ingestion.batches"));

        // Every batch (the duplicate too: the store finds it out) is one flush of one share and one apply script.
        Assert.Equal(4, after["nps.ingestion.apply.duration"] - before["nps.ingestion.apply.duration"]);
        Assert.Equal(4, after["nps.ingestion.flush.shares"] - before["nps.ingestion.flush.shares"]);
        Assert.Equal(4, after["nps.store.script.duration", "nps.script=apply"] - before["nps.store.script.duration", "nps.script=apply"]);
        Assert.Equal(1, open["nps.ingestion.streams.open"] - before["nps.ingestion.streams.open"]);
        Assert.Equal(0, after["nps.ingestion.streams.open"] - before["nps.ingestion.streams.open"]);
        Assert.Equal(1, CallsOf(after, "SubmitResponses", "OK") - CallsOf(before, "SubmitResponses", "OK"));
    }

    [Fact]
    public async Task A_refused_call_counts_with_its_status_and_reason_and_a_method_the_server_lacks_as_other()
    {
        var before = fixture.ReadMetrics();

        var notFound = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = UniqueProduct("never-submitted") }).ResponseAsync);
        var unimplemented = await Assert.ThrowsAsync<RpcException>(() => fixture.Server.Channel.CreateCallInvoker()
            .AsyncUnaryCall(NoSuchMethod, null, new CallOptions(), []).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, StatusCode.Unimplemented), (notFound.StatusCode, unimplemented.StatusCode));
        var refused = "nps.error.reason=ERROR_REASON_PRODUCT_NOT_FOUND,rpc.method=nps.v1.NpsService/GetScore,rpc.response.status_code=NOT_FOUND,rpc.system.name=grpc";
        var other = "error.type=UNIMPLEMENTED,rpc.method=_OTHER,rpc.response.status_code=UNIMPLEMENTED,rpc.system.name=grpc";
        var after = await fixture.ReadMetricsWhenAsync(reading => reading[CallMetric, refused] > before[CallMetric, refused] && reading[CallMetric, other] > before[CallMetric, other]);
        Assert.Equal(
            new Dictionary<(string, string), double> { [(CallMetric, refused)] = 1, [(CallMetric, other)] = 1 },
            after.Since(before, CallMetric));
    }

    [Fact]
    public async Task Follow_up_deliveries_their_age_acknowledgements_by_outcome_and_the_open_stream_are_recorded()
    {
        var product = UniqueProduct("telemetry-follow-up");
        var before = fixture.ReadMetrics();
        MetricsReading open;
        await using (var worker = FollowUpWorker.Start(fixture.Client, "telemetry", "worker-1", product))
        {
            await worker.WaitUntilOpenAsync();
            await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 2), Answer(product, 4), Answer(product, 10)]));
            var deliveries = await worker.TakeAsync(2);
            await worker.AcknowledgeAsync(FollowUpOutcome.Resolved, deliveries[0]);
            var unknown = new Core.FollowUps.FollowUpAckId(product, "telemetry", new Core.FollowUps.StreamEntryId(1, 0), "worker-1", 1).Encode();
            var answer = await fixture.Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
            {
                Acknowledgements =
                {
                    new V1.FollowUpAcknowledgement { AckId = deliveries[1].AckId, Outcome = FollowUpOutcome.Contacted },
                    new V1.FollowUpAcknowledgement { AckId = unknown, Outcome = FollowUpOutcome.Contacted },
                },
            });
            Assert.Equal(AcknowledgementProblem.Unknown, Assert.Single(answer.Exceptions).Problem);
            open = fixture.ReadMetrics();
        }

        var after = await fixture.ReadMetricsWhenAsync(reading => reading["nps.follow_up.streams.open"] == before["nps.follow_up.streams.open"]);

        Assert.Equal(1, open["nps.follow_up.streams.open"] - before["nps.follow_up.streams.open"]);
        Assert.Equal(
            new Dictionary<(string, string), double> { [("nps.follow_up.deliveries", "nps.follow_up.redelivered=False")] = 2 },
            after.Since(before, "nps.follow_up.deliveries"));
        Assert.Equal(
            new Dictionary<(string, string), double> { [("nps.follow_up.delivery.age", "nps.follow_up.redelivered=False")] = 2 },
            after.Since(before, "nps.follow_up.delivery.age"));
        Assert.Equal(
            new Dictionary<(string, string), double>
            {
                [("nps.follow_up.acknowledgements", "nps.follow_up.outcome=FOLLOW_UP_OUTCOME_RESOLVED")] = 1,
                [("nps.follow_up.acknowledgements", "nps.follow_up.outcome=FOLLOW_UP_OUTCOME_CONTACTED")] = 1,
                [("nps.follow_up.acknowledgements", "error.type=ACKNOWLEDGEMENT_PROBLEM_UNKNOWN,nps.follow_up.outcome=FOLLOW_UP_OUTCOME_CONTACTED")] = 1,
            },
            after.Since(before, "nps.follow_up.acknowledgements"));
        Assert.Equal(0, after["nps.follow_up.streams.open"] - before["nps.follow_up.streams.open"]);
        Assert.True(after["nps.store.script.duration", "nps.script=follow_up_poll"] > before["nps.store.script.duration", "nps.script=follow_up_poll"]);
    }

    [Fact]
    public async Task The_follow_up_backlog_is_a_gauge_per_group_and_product_that_stays_in_view_after_the_last_worker_left()
    {
        var product = UniqueProduct("telemetry-backlog");
        var tags = $"nps.follow_up.group=backlog,nps.product.id={product}";
        var answeredAt = DateTimeOffset.UtcNow.AddHours(-2);
        SurveyResponse Detractor(int score, DateTimeOffset at)
        {
            var answer = Answer(product, score);
            answer.AnsweredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at);
            return answer;
        }

        bool Shows(MetricsReading reading, long waiting, long inProgress) =>
            reading["nps.follow_up.backlog", $"nps.follow_up.group=backlog,nps.follow_up.state=waiting,nps.product.id={product}"] == waiting
            && reading["nps.follow_up.backlog", $"nps.follow_up.group=backlog,nps.follow_up.state=in_progress,nps.product.id={product}"] == inProgress;

        MetricsReading held;
        await using (var worker = FollowUpWorker.Start(
            fixture.Client, new StreamFollowUpsRequest { Group = "backlog", Consumer = "worker-1", ProductIds = { product }, MaxOutstanding = 1 }))
        {
            await worker.WaitUntilOpenAsync();
            await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Detractor(1, answeredAt), Detractor(2, answeredAt.AddMinutes(1)), Detractor(3, answeredAt.AddMinutes(2))]));

            // The worker holds at most one: one in progress, two waiting, the oldest of those answered a minute after the first.
            var delivered = await worker.TakeAsync(1);
            held = await fixture.ReadMetricsWhenAsync(reading => Shows(reading, waiting: 2, inProgress: 1));
            Assert.True(Shows(held, waiting: 2, inProgress: 1), "The backlog gauge never showed 2 waiting and 1 in progress.");
            var age = held["nps.follow_up.oldest_waiting.age", tags];
            Assert.InRange(age, TimeSpan.FromMinutes(119).TotalSeconds, TimeSpan.FromMinutes(121).TotalSeconds);

            await worker.AcknowledgeAsync(delivered[0]);
            await worker.TakeAsync(1);
            var moved = await fixture.ReadMetricsWhenAsync(reading => Shows(reading, waiting: 1, inProgress: 1));
            Assert.True(Shows(moved, waiting: 1, inProgress: 1), "The backlog gauge did not follow the acknowledgement.");
        }

        // No worker is connected now, and the backlog grows: exactly what the gauge is for.
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Detractor(0, DateTimeOffset.UtcNow)]));
        var after = await fixture.ReadMetricsWhenAsync(reading => Shows(reading, waiting: 2, inProgress: 1));
        Assert.True(Shows(after, waiting: 2, inProgress: 1), "The backlog gauge stopped being sampled when the worker left.");
        Assert.True(after["nps.store.script.duration", "nps.script=follow_up_backlog"] > held["nps.store.script.duration", "nps.script=follow_up_backlog"]);

        // The group gone from the product, as when its records expired: the pair stops being sampled and reported.
        var admin = await fixture.Redis.AdminAsync();
        await admin.KeyDeleteAsync(new NpsGrpc.Redis.RedisKeyLayout("nps").FollowUpGroups(product));
        var gone = await fixture.ReadMetricsWhenAsync(reading => !reading.Has("nps.follow_up.backlog", $"nps.product.id={product}"));
        Assert.False(gone.Has("nps.follow_up.backlog", $"nps.product.id={product}"), "The backlog of a group that no longer exists is still reported.");
        Assert.False(gone.Has("nps.follow_up.oldest_waiting.age", $"nps.product.id={product}"));
    }

    [Fact]
    public async Task A_watch_counts_as_an_open_watcher_from_its_first_score_until_it_ends()
    {
        var product = UniqueProduct("telemetry-watch");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 10)]));
        var before = fixture.ReadMetrics();

        MetricsReading open;
        await using (var first = ScoreWatcher.Start(fixture.Client, product))
        await using (var second = ScoreWatcher.Start(fixture.Client, product))
        {
            await first.NextAsync();
            await second.NextAsync();
            open = fixture.ReadMetrics();
        }

        var after = await fixture.ReadMetricsWhenAsync(reading => reading["nps.watchers.open"] == before["nps.watchers.open"]);
        Assert.Equal(2, open["nps.watchers.open"] - before["nps.watchers.open"]);
        Assert.Equal(0, after["nps.watchers.open"] - before["nps.watchers.open"]);
    }

    [Fact]
    public async Task A_call_is_a_server_span_of_the_callers_trace_and_its_redis_command_a_client_span_under_it()
    {
        var product = UniqueProduct("telemetry-trace");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 2, 1, 1)));
        var trace = ActivityTraceId.CreateRandom();
        var caller = ActivitySpanId.CreateRandom();

        await fixture.Client.GetScoreAsync(
            new GetScoreRequest { ProductId = product }, new Metadata { { "traceparent", $"00-{trace}-{caller}-01" } });

        var spans = await fixture.Spans.OfTraceAsync(trace, spans => spans.Any(span => span.Kind == ActivityKind.Client));
        var server = Assert.Single(spans, span => span.Kind == ActivityKind.Server);
        var redis = Assert.Single(spans, span => span.Kind == ActivityKind.Client);
        Assert.Equal(caller, server.ParentSpanId);
        Assert.Equal("nps.v1.NpsService/GetScore", server.DisplayName);
        // The RPC conventions rpc.server.call.duration follows too.
        Assert.Equal(
            ["grpc", "nps.v1.NpsService/GetScore", "OK"],
            [server.GetTagItem("rpc.system.name"), server.GetTagItem("rpc.method"), server.GetTagItem("rpc.response.status_code")]);
        Assert.Equal(server.SpanId, redis.ParentSpanId);
        Assert.Equal("HMGET", redis.DisplayName);
    }

    [Fact]
    public async Task The_scrape_endpoint_answers_over_http2_in_the_prometheus_format_with_the_counts_moving()
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var metrics = new Uri(fixture.Server.Address, "/metrics");
        const string Counted = "nps_response_outcome=\"RESPONSE_OUTCOME_COUNTED\"";
        var before = CountedIn(await http.GetStringAsync(metrics));

        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(UniqueProduct("telemetry-scrape"), 3, 0, 0)));

        // The exporter caches a scrape for a moment: scrape until the batch shows.
        var deadline = Stopwatch.StartNew();
        string text;
        do
        {
            using var response = await http.GetAsync(metrics);
            Assert.Equal((HttpStatusCode.OK, new Version(2, 0)), (response.StatusCode, response.Version));
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync();
        }
        while (CountedIn(text) < before + 3 && deadline.Elapsed < TimeSpan.FromSeconds(30) && await Delay());

        Assert.Equal(before + 3, CountedIn(text));
        Assert.Contains("# TYPE nps_ingestion_apply_duration_seconds histogram", text, StringComparison.Ordinal);
        // ASP.NET Core's, Kestrel's and the runtime's meters are exported beside the server's.
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("\nkestrel_active_connections{", text, StringComparison.Ordinal);
        Assert.Contains("\ndotnet_process_cpu_count{", text, StringComparison.Ordinal);
        Assert.Contains("service_name=\"nps-grpc\"", text, StringComparison.Ordinal);

        long CountedIn(string scraped) => scraped.Split('\n')
            .Where(line => line.StartsWith("nps_ingestion_responses_total{", StringComparison.Ordinal) && line.Contains(Counted, StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
            .SingleOrDefault();
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    private static double CallsOf(MetricsReading reading, string method, string status) =>
        reading.Sum(CallMetric, $"rpc.method=nps.v1.NpsService/{method}", $"rpc.response.status_code={status}");

    private static readonly Method<byte[], byte[]> NoSuchMethod = new(
        MethodType.Unary, "nps.v1.NpsService", "NoSuchMethod", Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));
}
