using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Malformed and hostile input, table-driven: each case gets a precise rejection or status, the valid response
/// beside it still counts exactly once, and the server goes on serving.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class HostileInputTests(ScoringServerFixture fixture)
{
    public static TheoryData<string, Func<string, SurveyResponse>, RejectionReason, string> BadResponses() => new()
    {
        { "score 11", p => Answer(p, 11), RejectionReason.ScoreOutOfRange, "score" },
        { "score -1", p => Answer(p, -1), RejectionReason.ScoreOutOfRange, "score" },
        { "score int max", p => Answer(p, int.MaxValue), RejectionReason.ScoreOutOfRange, "score" },
        { "score int min", p => Answer(p, int.MinValue), RejectionReason.ScoreOutOfRange, "score" },
        { "no score", p => new SurveyResponse { ProductId = p }, RejectionReason.MissingScore, "score" },
        { "empty product", _ => Answer(string.Empty, 9), RejectionReason.InvalidProductId, "product_id" },
        { "129-char product", _ => Answer(new string('p', 129), 9), RejectionReason.InvalidProductId, "product_id" },
        { "product with space", p => Answer(p + " x", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product opening a hash tag", p => Answer(p + "{x", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product closing a hash tag", p => Answer(p + "}", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product non-ASCII", p => Answer(p + "é", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product emoji", p => Answer(p + "\U0001F600", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product NUL", p => Answer(p + "\0", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product newline", p => Answer(p + "\n", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product with =", p => Answer(p + "=1", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product with /", p => Answer(p + "/1", 9), RejectionReason.InvalidProductId, "product_id" },
        { "product glob", p => Answer(p + "*", 9), RejectionReason.InvalidProductId, "product_id" },
        { "17 labels", p => Answer(p, 9, [.. Enumerable.Range(0, 17).Select(i => ($"k{i}", "v"))]), RejectionReason.TooManySegments, "segments" },
        { "empty label key", p => Answer(p, 9, (string.Empty, "v")), RejectionReason.InvalidSegmentKey, "segments[]" },
        { "empty label value", p => Answer(p, 9, ("k", string.Empty)), RejectionReason.InvalidSegmentValue, "segments[k]" },
        { "65-char label key", p => Answer(p, 9, (new string('k', 65), "v")), RejectionReason.InvalidSegmentKey, $"segments[{new string('k', 65)}]" },
        { "65-char label value", p => Answer(p, 9, ("k", new string('v', 65))), RejectionReason.InvalidSegmentValue, "segments[k]" },
        { "label key with =", p => Answer(p, 9, ("a=b", "v")), RejectionReason.InvalidSegmentKey, "segments[a=b]" },
        { "label value with =", p => Answer(p, 9, ("k", "a=b")), RejectionReason.InvalidSegmentValue, "segments[k]" },
        { "label value with comma", p => Answer(p, 9, ("k", "a,b")), RejectionReason.InvalidSegmentValue, "segments[k]" },
        { "label key with space", p => Answer(p, 9, ("a b", "v")), RejectionReason.InvalidSegmentKey, "segments[a b]" },
        { "label value non-ASCII", p => Answer(p, 9, ("k", "ü")), RejectionReason.InvalidSegmentValue, "segments[k]" },
        { "label key with tab", p => Answer(p, 9, ("a\tb", "v")), RejectionReason.InvalidSegmentKey, "segments[a\tb]" },
        { "respondent with space", p => Answer(p, 9).By("a b"), RejectionReason.InvalidRespondentId, "respondent_id" },
        { "129-char respondent", p => Answer(p, 9).By(new string('r', 129)), RejectionReason.InvalidRespondentId, "respondent_id" },
        { "respondent with brace", p => Answer(p, 9).By("r{1}"), RejectionReason.InvalidRespondentId, "respondent_id" },
        { "answered tomorrow", p => Answer(p, 9).AnsweredAt(DateTimeOffset.UtcNow.AddDays(1).ToString("O")), RejectionReason.AnsweredAtInFuture, "answered_at" },
        { "answered in 1999", p => Answer(p, 9).AnsweredAt("1999-06-01T00:00:00Z"), RejectionReason.AnsweredAtTooOld, "answered_at" },
        { "answered in year 1", p => Answer(p, 9).AnsweredAt("0001-01-01T00:00:00Z"), RejectionReason.AnsweredAtTooOld, "answered_at" },
        { "answered past year 9999", p => Raw(Answer(p, 9), new Timestamp { Seconds = 300_000_000_000 }), RejectionReason.AnsweredAtInFuture, "answered_at" },
        { "answered before year 1", p => Raw(Answer(p, 9), new Timestamp { Seconds = -70_000_000_000 }), RejectionReason.AnsweredAtTooOld, "answered_at" },
        { "comment of 2001 code points", p => Answer(p, 3).Saying(new string('a', 2001)), RejectionReason.CommentTooLong, "comment" },
        { "comment of 2001 emoji", p => Answer(p, 3).Saying(string.Concat(Enumerable.Repeat("\U0001F600", 2001))), RejectionReason.CommentTooLong, "comment" },
        { "comment with NUL", p => Answer(p, 3).Saying("slow\0support"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "comment with escape", p => Answer(p, 3).Saying("\u001B[31mred"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "comment with C1 control", p => Answer(p, 3).Saying("a\u0085b"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "comment with U+FFFD", p => Answer(p, 3).Saying("bad \uFFFD byte"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "comment with a lone surrogate", p => Answer(p, 3).Saying("lone \uD800 half"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "comment with a lone low surrogate", p => Answer(p, 3).Saying("\uDC00"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "comment of 2001 characters with a NUL", p => Answer(p, 3).Saying(new string('a', 2000) + "\0"), RejectionReason.CommentInvalidCharacter, "comment" },
        { "language with underscore", p => Answer(p, 3).Saying("ok", "en_GB"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language of one letter", p => Answer(p, 3).Saying("ok", "e"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language with a 4-letter primary subtag", p => Answer(p, 3).Saying("ok", "engl"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language of 36 characters", p => Answer(p, 3).Saying("ok", "en-" + string.Join('-', Enumerable.Repeat("abcdefg", 4)) + "-a"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language with a 9-character subtag", p => Answer(p, 3).Saying("ok", "en-abcdefghi"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language with an empty subtag", p => Answer(p, 3).Saying("ok", "en--GB"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language ending in a dash", p => Answer(p, 3).Saying("ok", "en-"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language non-ASCII", p => Answer(p, 3).Saying("ok", "fr\u00e9"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language with a newline", p => Answer(p, 3).Saying("ok", "en\n"), RejectionReason.InvalidLanguageCode, "language_code" },
        { "language without a comment", p => Answer(p, 3).Saying(string.Empty, "x1"), RejectionReason.InvalidLanguageCode, "language_code" },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public async Task A_bad_response_is_rejected_precisely_and_the_valid_one_beside_it_counts_once(
        string name, Func<string, SurveyResponse> bad, RejectionReason reason, string field)
    {
        var product = UniqueProduct("hostile");
        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 10), bad(product)], $"hostile-{product}", 1))).Single();

        var rejection = Assert.Single(ack.Rejected);
        Assert.True(reason == rejection.Reason, $"{name}: expected {reason}, got {rejection.Reason} ({rejection.Description})");
        Assert.Equal("responses[1]." + field, rejection.Field);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Description));
        Assert.Equal([ResponseOutcome.Counted, ResponseOutcome.Rejected], ack.AllOutcomes());
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((1L, 1L), (score.Total, score.Promoters));
        // The valid response is an uncommented promoter: nothing of the batch is recorded.
        Assert.False(await (await fixture.Redis.AdminAsync()).KeyExistsAsync($"nps:{{{product}}}:rec"), $"{name}: a record was written");
    }

    public static TheoryData<string, Func<string, SubmitResponsesRequest>, string> BadRequests() => new()
    {
        { "1001 responses", p => Batch(Mix(p, 1001, 0, 0)), "responses" },
        { "writer without sequence", p => Batch(Mix(p, 1, 0, 0), "w-" + p[..20], 0), "sequence" },
        { "writer with negative sequence", p => Batch(Mix(p, 1, 0, 0), "w-" + p[..20], -5), "sequence" },
        { "writer of 129 characters", p => Batch(Mix(p, 1, 0, 0), new string('w', 129), 2), "writer_id" },
        { "writer with space", p => Batch(Mix(p, 1, 0, 0), "w x", 2), "writer_id" },
        { "writer opening a hash tag", p => Batch(Mix(p, 1, 0, 0), "w{", 2), "writer_id" },
        { "writer non-ASCII", p => Batch(Mix(p, 1, 0, 0), "wß", 2), "writer_id" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_request_malformed_as_a_whole_ends_the_stream_with_INVALID_ARGUMENT_and_counts_nothing_of_it(
        string name, Func<string, SubmitResponsesRequest> bad, string field)
    {
        var product = UniqueProduct("malformed");
        using var stream = new SubmissionStream(fixture.Client);
        Assert.Equal(1, (await stream.SubmitAsync(Batch(Mix(product, 0, 1, 0)))).AcceptedCount);

        await stream.SendAsync(bad(product));
        var exception = await Assert.ThrowsAsync<RpcException>(stream.ReadAckAsync);

        Assert.True(StatusAssertions.FieldViolations(exception).ContainsKey(field), $"{name}: no violation on {field}: {exception.Status.Detail}");
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((1L, 1L), (score.Total, score.Passives));
    }

    public static TheoryData<string, Func<NpsService.NpsServiceClient, Task>, StatusCode> BadQueries() => new()
    {
        { "segment a=b=c", c => c.GetScoreAsync(new GetScoreRequest { ProductId = "p", Segment = "a=b=c" }).ResponseAsync, StatusCode.InvalidArgument },
        { "segment without =", c => c.GetScoreAsync(new GetScoreRequest { ProductId = "p", Segment = "ab" }).ResponseAsync, StatusCode.InvalidArgument },
        { "interval ending in 2300", c => c.GetScoreAsync(new GetScoreRequest { ProductId = "p", StartTime = Time.At("2020-01-01T00:00:00Z"), EndTime = Time.At("2300-01-01T00:00:00Z") }).ResponseAsync, StatusCode.InvalidArgument },
        { "interval starting in 1970", c => c.GetScoreAsync(new GetScoreRequest { ProductId = "p", StartTime = Time.At("1970-01-01T00:00:00Z") }).ResponseAsync, StatusCode.InvalidArgument },
        { "end without start", c => c.GetScoreAsync(new GetScoreRequest { ProductId = "p", EndTime = Time.At("2020-01-01T00:00:00Z") }).ResponseAsync, StatusCode.InvalidArgument },
        { "NaN confidence", c => c.GetScoreAsync(new GetScoreRequest { ProductId = "p", ConfidencePercent = double.NaN }).ResponseAsync, StatusCode.InvalidArgument },
        { "unknown granularity", c => c.GetScoreTrendAsync(new GetScoreTrendRequest { ProductId = "p", StartTime = Time.At("2025-01-01T00:00:00Z"), Granularity = (Granularity)99 }).ResponseAsync, StatusCode.InvalidArgument },
        { "unknown segment order", c => c.ListSegmentsAsync(new ListSegmentsRequest { ProductId = "p", OrderBy = (SegmentOrder)99 }).ResponseAsync, StatusCode.InvalidArgument },
        { "negative page size", c => c.ListSegmentsAsync(new ListSegmentsRequest { ProductId = "p", PageSize = -1 }).ResponseAsync, StatusCode.InvalidArgument },
        { "forged page token", c => c.ListSegmentsAsync(new ListSegmentsRequest { ProductId = "p", PageToken = "djF8VG90YWx8LTV8cA" }).ResponseAsync, StatusCode.InvalidArgument },
        { "huge rolling window", c => c.GetScoreTrendAsync(new GetScoreTrendRequest { ProductId = "p", StartTime = Time.At("2025-01-01T00:00:00Z"), EndTime = Time.At("2025-01-02T00:00:00Z"), Granularity = Granularity.Day, RollingWindowDays = int.MaxValue }).ResponseAsync, StatusCode.InvalidArgument },
        { "comparison without scopes", c => c.CompareScoresAsync(new CompareScoresRequest()).ResponseAsync, StatusCode.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_malformed_read_gets_a_precise_status(string name, Func<NpsService.NpsServiceClient, Task> call, StatusCode expected)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => call(fixture.Client));

        Assert.True(expected == exception.StatusCode, $"{name}: expected {expected}, got {exception.StatusCode} ({exception.Status.Detail})");
        Assert.NotEmpty(StatusAssertions.FieldViolations(exception));
    }

    public static TheoryData<string, Func<NpsService.NpsServiceClient, string, Task>, StatusCode, string, string> RefusedReads() => new()
    {
        { "unknown product", (c, p) => c.GetScoreAsync(new GetScoreRequest { ProductId = p + "-none" }).ResponseAsync, StatusCode.NotFound, "ERROR_REASON_PRODUCT_NOT_FOUND", "productId={p}-none" },
        { "unknown segment", (c, p) => c.GetScoreAsync(new GetScoreRequest { ProductId = p, Segment = "region=us" }).ResponseAsync, StatusCode.NotFound, "ERROR_REASON_SEGMENT_NOT_FOUND", "productId={p} segment=region=us" },
        { "trend of an unknown product", (c, p) => c.GetScoreTrendAsync(new GetScoreTrendRequest { ProductId = p + "-none", StartTime = Time.At("2025-01-01T00:00:00Z"), EndTime = Time.At("2025-01-02T00:00:00Z"), Granularity = Granularity.Day }).ResponseAsync, StatusCode.NotFound, "ERROR_REASON_PRODUCT_NOT_FOUND", "productId={p}-none" },
        { "labels of an unknown product", (c, p) => c.ListSegmentsAsync(new ListSegmentsRequest { ProductId = p + "-none" }).ResponseAsync, StatusCode.NotFound, "ERROR_REASON_PRODUCT_NOT_FOUND", "productId={p}-none" },
        { "comparison with an unknown product", (c, p) => c.CompareScoresAsync(new CompareScoresRequest { First = new ScoreScope { ProductId = p }, Second = new ScoreScope { ProductId = p + "-none" } }).ResponseAsync, StatusCode.NotFound, "ERROR_REASON_PRODUCT_NOT_FOUND", "productId={p}-none" },
        { "comparison with an empty first interval", (c, p) => c.CompareScoresAsync(new CompareScoresRequest { First = new ScoreScope { ProductId = p, StartTime = Time.At("2001-01-01T00:00:00Z"), EndTime = Time.At("2001-02-01T00:00:00Z") }, Second = new ScoreScope { ProductId = p } }).ResponseAsync, StatusCode.FailedPrecondition, "ERROR_REASON_NO_RESPONSES_IN_INTERVAL", "scope=first" },
        { "comparison with an empty second interval", (c, p) => c.CompareScoresAsync(new CompareScoresRequest { First = new ScoreScope { ProductId = p }, Second = new ScoreScope { ProductId = p, StartTime = Time.At("2001-01-01T00:00:00Z"), EndTime = Time.At("2001-02-01T00:00:00Z") } }).ResponseAsync, StatusCode.FailedPrecondition, "ERROR_REASON_NO_RESPONSES_IN_INTERVAL", "scope=second" },
    };

    [Theory]
    [MemberData(nameof(RefusedReads))]
    public async Task A_refused_read_carries_an_ErrorInfo_whose_reason_and_metadata_say_what_is_missing(
        string name, Func<NpsService.NpsServiceClient, string, Task> call, StatusCode code, string reason, string metadata)
    {
        var product = UniqueProduct("refused");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 9, ("region", "eu"))]));

        var exception = await Assert.ThrowsAsync<RpcException>(() => call(fixture.Client, product));

        var number = NpsReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>(nameof(ErrorReason)).FindValueByName(reason).Number;
        var info = StatusAssertions.ErrorInfo(exception, code, (ErrorReason)number);
        Assert.True(
            metadata.Replace("{p}", product, StringComparison.Ordinal) == string.Join(' ', info.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}")),
            $"{name}: metadata {info.Metadata}");
    }

    [Fact]
    public async Task A_huge_but_valid_interval_is_answered_from_month_tallies()
    {
        var product = UniqueProduct("huge-interval");
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([Answer(product, 9).AnsweredAt("2003-07-04T12:00:00Z")]));

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest
        {
            ProductId = product,
            StartTime = Time.At("2000-01-01T00:00:00Z"),
            EndTime = Time.At("2200-01-01T00:00:00Z"),
        })).Score;

        Assert.Equal(1, score.Total);
    }

    [Fact]
    public async Task A_stream_cancelled_halfway_leaves_acknowledged_batches_counted_and_the_server_serving()
    {
        var product = UniqueProduct("cancelled");
        using var cancel = new CancellationTokenSource();
        using (var stream = new SubmissionStream(fixture.Client, cancel.Token))
        {
            Assert.Equal(3, (await stream.SubmitAsync(Batch(Mix(product, 3, 0, 0), "cancel-writer", 1))).AcceptedCount);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<Exception>(() => stream.SendAsync(Batch(Mix(product, 5, 0, 0), "cancel-writer", 2)));
        }

        var retry = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 5, 0, 0), "cancel-writer", 2))).Single();
        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;

        Assert.Equal(5, retry.AcceptedCount);
        Assert.Equal(8, score.Total);
    }

    [Fact]
    public async Task A_stream_that_never_sends_does_not_hold_up_other_clients()
    {
        using var idle = new SubmissionStream(fixture.Client);
        var product = UniqueProduct("beside-idle");

        var ack = (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(Mix(product, 1, 0, 0)))).Single();

        Assert.Equal(1, ack.AcceptedCount);
    }

    [Fact]
    public async Task One_writer_id_on_two_streams_at_once_still_counts_each_sequence_once_per_product()
    {
        // The rule: a writer_id may be used by several streams at once; each (writer, sequence, product) is applied
        // at most once, atomically, whichever stream carries it first.
        var product = UniqueProduct("shared-writer");
        var batches = Enumerable.Range(1, 30).Select(sequence => Batch(Mix(product, 1, 1, 1), "shared-writer-" + product[..16], sequence)).ToArray();

        var acks = await Task.WhenAll(
            SubmissionStream.SubmitAllAsync(fixture.Client, batches),
            SubmissionStream.SubmitAllAsync(fixture.Client, batches));

        var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal(90, score.Total);
        Assert.All(acks, stream => Assert.Equal(30, stream.Count));
    }

    private static SurveyResponse Raw(SurveyResponse response, Timestamp answeredAt)
    {
        response.AnsweredAt = answeredAt;
        return response;
    }
}
