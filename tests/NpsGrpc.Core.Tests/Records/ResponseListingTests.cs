using System.Buffers.Text;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Records;

public class ResponseListingTests
{
    private static readonly RecordCursor Somewhere = new(1_767_225_600_000_123, 42);

    [Theory]
    [InlineData(0, 50)]
    [InlineData(1, 1)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void Page_size_zero_means_fifty_and_above_a_thousand_is_lowered_to_a_thousand(int pageSize, int expected)
    {
        var listing = Parse(pageSize: pageSize);

        Assert.Equal(expected, listing.PageSize);
        Assert.Equal(expected * 10, listing.MaxExamined);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_negative_page_size_is_rejected_on_page_size(int pageSize)
    {
        var violations = Violations(pageSize: pageSize);

        Assert.Equal("page_size", Assert.Single(violations).Field);
        Assert.Contains($"got {pageSize}", violations[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_end_not_after_the_start_is_rejected_on_end_time()
    {
        var same = Violations(start: 5_000_000, end: 5_000_000);
        var before = Violations(start: 5_000_000, end: 4_999_999);

        Assert.Equal("end_time", Assert.Single(same).Field);
        Assert.Equal("end_time", Assert.Single(before).Field);
        Assert.Contains("[start_time, end_time)", same[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Either_side_of_the_interval_may_be_open()
    {
        Assert.Null(Parse(start: null, end: 7).Filter.StartMicros);
        Assert.Null(Parse(start: 7, end: null).Filter.EndMicros);
        Assert.Equal((7L, 8L), (Parse(start: 7, end: 8).Filter.StartMicros!.Value, Parse(start: 7, end: 8).Filter.EndMicros!.Value));
    }

    [Fact]
    public void A_bad_product_and_segment_are_each_named()
    {
        var violations = Violations(product: "a b", segment: "region");

        Assert.Equal(["product_id", "segment"], violations.Select(violation => violation.Field));
    }

    [Fact]
    public void The_first_page_starts_at_the_newest_record_and_a_token_continues_after_its_cursor()
    {
        var first = Parse();
        var token = first.NextPageToken(Somewhere);

        var second = Parse(token: token);

        Assert.Null(first.After);
        Assert.Equal(Somewhere, second.After);
    }

    [Fact]
    public void The_last_page_has_no_token()
    {
        Assert.Empty(Parse().NextPageToken(null));
    }

    [Fact]
    public void A_token_shows_neither_the_product_nor_the_record_id_nor_a_timestamp_readably()
    {
        var token = Parse(product: "acme-checkout").NextPageToken(Somewhere);
        var decoded = System.Text.Encoding.Latin1.GetString(Base64Url.DecodeFromChars(token));

        Assert.DoesNotContain("acme", decoded, StringComparison.Ordinal);
        Assert.DoesNotContain("42", decoded, StringComparison.Ordinal);
        Assert.DoesNotContain("1767225600", decoded, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", token, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_token_may_be_sent_with_another_page_size()
    {
        var token = Parse(pageSize: 10).NextPageToken(Somewhere);

        Assert.Equal(Somewhere, Parse(pageSize: 500, token: token).After);
    }

    public static TheoryData<string, Func<List<FieldViolation>>> OtherFilters => new()
    {
        { "product", () => Violations(product: "other", token: TokenOfDefaultFilter()) },
        { "segment", () => Violations(segment: "region=us", token: TokenOfDefaultFilter()) },
        { "no segment", () => Violations(segment: string.Empty, token: TokenOfDefaultFilter()) },
        { "start", () => Violations(start: 1_000_001, token: TokenOfDefaultFilter()) },
        { "no start", () => Violations(start: null, token: TokenOfDefaultFilter()) },
        { "end", () => Violations(end: 9_000_001, token: TokenOfDefaultFilter()) },
        { "categories", () => Violations(categories: [ScoreCategory.Detractor, ScoreCategory.Passive], token: TokenOfDefaultFilter()) },
        { "no categories", () => Violations(categories: [], token: TokenOfDefaultFilter()) },
        { "only with comment", () => Violations(onlyWithComment: false, token: TokenOfDefaultFilter()) },
    };

    [Theory]
    [MemberData(nameof(OtherFilters))]
    public void A_token_sent_with_another_filter_is_rejected_on_page_token(string changed, Func<List<FieldViolation>> parse)
    {
        var violations = parse();

        var violation = Assert.Single(violations);
        Assert.True(violation.Field == "page_token", changed);
        Assert.Contains("another filter", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Categories_in_another_order_or_repeated_are_the_same_filter()
    {
        var token = Parse(categories: [ScoreCategory.Promoter, ScoreCategory.Detractor]).NextPageToken(Somewhere);

        var listing = Parse(categories: [ScoreCategory.Detractor, ScoreCategory.Promoter, ScoreCategory.Detractor], token: token);

        Assert.Equal(Somewhere, listing.After);
    }

    [Fact]
    public void Naming_every_category_is_the_same_filter_as_naming_none()
    {
        var token = Parse(categories: []).NextPageToken(Somewhere);

        var listing = Parse(categories: [ScoreCategory.Detractor, ScoreCategory.Passive, ScoreCategory.Promoter], token: token);

        Assert.Equal(Somewhere, listing.After);
        Assert.True(listing.Filter.Includes(ScoreCategory.Passive));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("!!!!")]
    [InlineData("djF8MHwxMHxwMQ")] // a ListSegments token
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // the right length, cursor id 0
    public void A_token_this_service_did_not_issue_is_rejected_on_page_token(string token)
    {
        var violation = Assert.Single(Violations(token: token));

        Assert.Equal("page_token", violation.Field);
        Assert.Contains("not a token this service issued", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_of_another_version_is_rejected()
    {
        var bytes = Base64Url.DecodeFromChars(TokenOfDefaultFilter());
        bytes[0] = 2;

        var violation = Assert.Single(Violations(token: Base64Url.EncodeToString(bytes)));

        Assert.Equal("page_token", violation.Field);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var violations = Violations(product: string.Empty, start: 10, end: 5, pageSize: -1, token: "x");

        Assert.Equal(["product_id", "end_time", "page_size", "page_token"], violations.Select(violation => violation.Field));
    }

    [Fact]
    public void Bounds_are_rounded_up_to_the_microsecond_and_compared_to_the_nanosecond()
    {
        var violations = new List<FieldViolation>();
        var listing = ResponseListing.TryParse(
            "p1", string.Empty, new PreciseInstant(5, 1_000), new PreciseInstant(5, 1_001), [], false, 0, string.Empty, violations);
        var rounded = ResponseListing.TryParse(
            "p1", string.Empty, new PreciseInstant(5, 1), new PreciseInstant(6, 999_999_001), [], false, 0, string.Empty, violations);

        Assert.Empty(violations);
        // [5.000001000, 5.000001001) holds no whole µs but the first: 5,000,001 ≤ t < 5,000,002.
        Assert.Equal((5_000_001L, 5_000_002L), (listing!.Filter.StartMicros!.Value, listing.Filter.EndMicros!.Value));
        Assert.Equal((5_000_001L, 7_000_000L), (rounded!.Filter.StartMicros!.Value, rounded.Filter.EndMicros!.Value));
    }

    [Fact]
    public void Before_1970_and_after_the_index_reach_the_bounds_stay_ordered()
    {
        Assert.True(new PreciseInstant(-5, 0).MicrosRoundedUp < 0);
        Assert.True(new PreciseInstant(long.MaxValue, 0).MicrosRoundedUp > RecordCursor.MicrosLimit);
        Assert.True(new PreciseInstant(long.MinValue, 0).MicrosRoundedUp < new PreciseInstant(-5, 0).MicrosRoundedUp);
    }

    private static PreciseInstant? Instant(long? micros) =>
        micros is { } us ? new PreciseInstant(Math.DivRem(us, 1_000_000, out var rest), (int)rest * 1000) : null;

    private static string TokenOfDefaultFilter() => Parse().NextPageToken(Somewhere);

    private static ResponseListing Parse(
        string product = "p1",
        string segment = "region=eu",
        long? start = 1_000_000,
        long? end = 9_000_000,
        ScoreCategory[]? categories = null,
        bool onlyWithComment = true,
        int pageSize = 0,
        string token = "")
    {
        var (listing, violations) = TryParse(product, segment, start, end, categories, onlyWithComment, pageSize, token);
        Assert.Empty(violations);
        return listing!;
    }

    private static List<FieldViolation> Violations(
        string product = "p1",
        string segment = "region=eu",
        long? start = 1_000_000,
        long? end = 9_000_000,
        ScoreCategory[]? categories = null,
        bool onlyWithComment = true,
        int pageSize = 0,
        string token = "") => TryParse(product, segment, start, end, categories, onlyWithComment, pageSize, token).Violations;

    /// <summary>Parses a listing whose unnamed fields are those of one default filter: p1, region=eu, [1 s, 9 s), detractors with a comment.</summary>
    private static (ResponseListing? Listing, List<FieldViolation> Violations) TryParse(
        string product, string segment, long? start, long? end, ScoreCategory[]? categories, bool onlyWithComment, int pageSize, string token)
    {
        var violations = new List<FieldViolation>();
        var listing = ResponseListing.TryParse(product, segment, Instant(start), Instant(end), categories ?? [ScoreCategory.Detractor], onlyWithComment, pageSize, token, violations);
        Assert.Equal(violations.Count == 0, listing is not null);
        return (listing, violations);
    }
}
