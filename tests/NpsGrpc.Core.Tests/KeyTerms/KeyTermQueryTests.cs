using NpsGrpc.Core.KeyTerms;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.KeyTerms;

public class KeyTermQueryTests
{
    private static readonly DateTimeOffset Now = TestContexts.Now; // 2026-11-23T12:00Z

    [Fact]
    public void Without_bounds_the_interval_is_the_last_three_months_with_this_one()
    {
        var query = Parse(null, null, out var violations);

        Assert.Empty(violations);
        Assert.Equal(new DateOnly(2026, 9, 1), query!.FirstMonth);
        Assert.Equal(new DateOnly(2026, 12, 1), query.EndMonth);
        Assert.Equal([new(2026, 9, 1), new(2026, 10, 1), new DateOnly(2026, 11, 1)], query.Months());
    }

    [Fact]
    public void Without_an_end_the_interval_runs_to_the_end_of_this_month()
    {
        var query = Parse(Utc(2025, 12, 1), null, out _);

        Assert.Equal((new DateOnly(2025, 12, 1), new DateOnly(2026, 12, 1)), (query!.FirstMonth, query.EndMonth));
        Assert.Equal(12, query.Months().Count);
    }

    [Fact]
    public void Without_a_start_the_interval_starts_two_months_before_this_one()
    {
        var query = Parse(null, Utc(2027, 2, 1), out _);

        Assert.Equal((new DateOnly(2026, 9, 1), new DateOnly(2027, 2, 1)), (query!.FirstMonth, query.EndMonth));
    }

    [Fact]
    public void Zero_criteria_mean_the_defaults()
    {
        Assert.Equal(KeyTermCriteria.Default, Parse(null, null, out _)!.Criteria);
        Assert.Equal(new KeyTermCriteria(1.96, 3, 20), KeyTermCriteria.Default);
    }

    [Fact]
    public void Criteria_at_their_bounds_are_taken_as_given()
    {
        var violations = new List<FieldViolation>();
        var query = KeyTermQuery.TryParse("app", null, null, 10, 1_000_000, 100, Now, violations);

        Assert.Empty(violations);
        Assert.Equal(new KeyTermCriteria(10, 1_000_000, 100), query!.Criteria);
        Assert.Equal(new KeyTermCriteria(0.5, 1, 1), KeyTermQuery.TryParse("app", null, null, 0.5, 1, 1, Now, violations)!.Criteria);
    }

    [Theory]
    [InlineData(-0.1, 3, 20, "min_z")]
    [InlineData(10.01, 3, 20, "min_z")]
    [InlineData(double.NaN, 3, 20, "min_z")]
    [InlineData(double.PositiveInfinity, 3, 20, "min_z")]
    [InlineData(1.96, -1, 20, "min_count")]
    [InlineData(1.96, 1_000_001, 20, "min_count")]
    [InlineData(1.96, 3, -1, "max_terms")]
    [InlineData(1.96, 3, 101, "max_terms")]
    public void A_criterion_out_of_range_is_named(double minZ, int minCount, int maxTerms, string field)
    {
        var violations = new List<FieldViolation>();

        Assert.Null(KeyTermQuery.TryParse("app", null, null, minZ, minCount, maxTerms, Now, violations));
        Assert.Equal(field, Assert.Single(violations).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("{app}")]
    public void A_bad_product_id_is_named(string productId)
    {
        var violations = new List<FieldViolation>();

        Assert.Null(KeyTermQuery.TryParse(productId, null, null, 0, 0, 0, Now, violations));
        Assert.Equal("product_id", Assert.Single(violations).Field);
    }

    [Fact]
    public void A_bound_that_is_not_the_first_of_a_month_at_midnight_is_named()
    {
        Parse(Utc(2026, 9, 2), Utc(2026, 12, 1).AddHours(1), out var violations);

        Assert.Equal(["start_time", "end_time"], violations.Select(violation => violation.Field));
        Assert.Contains("first of a month", violations[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bound_given_in_another_offset_is_read_in_UTC()
    {
        var query = Parse(new DateTimeOffset(2026, 9, 1, 2, 0, 0, TimeSpan.FromHours(2)), null, out var violations);

        Assert.Empty(violations);
        Assert.Equal(new DateOnly(2026, 9, 1), query!.FirstMonth);
    }

    [Theory]
    [InlineData(2026, 9)]
    [InlineData(2026, 8)]
    public void An_end_not_after_the_start_is_named(int endYear, int endMonth)
    {
        Parse(Utc(2026, 9, 1), Utc(endYear, endMonth, 1), out var violations);

        Assert.Equal("end_time", Assert.Single(violations).Field);
    }

    [Fact]
    public void Thirty_six_months_are_allowed_and_thirty_seven_are_not()
    {
        Assert.Equal(36, Parse(Utc(2023, 12, 1), Utc(2026, 12, 1), out _)!.Months().Count);

        Parse(Utc(2023, 11, 1), Utc(2026, 12, 1), out var violations);
        var violation = Assert.Single(violations);
        Assert.Equal("end_time", violation.Field);
        Assert.Contains("37 months", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_outside_the_years_answers_are_counted_for_are_named()
    {
        Parse(Utc(1999, 12, 1), Utc(2000, 2, 1), out var early);
        Parse(Utc(2199, 12, 1), Utc(2200, 2, 1), out var late);

        Assert.Equal("start_time", Assert.Single(early).Field);
        Assert.Equal("end_time", Assert.Single(late).Field);
    }

    [Fact]
    public void Every_problem_of_a_request_is_named_at_once()
    {
        var violations = new List<FieldViolation>();

        Assert.Null(KeyTermQuery.TryParse("", Utc(2026, 9, 15), null, -1, -1, 1000, Now, violations));
        Assert.Equal(["product_id", "start_time", "min_z", "min_count", "max_terms"], violations.Select(violation => violation.Field));
    }

    [Fact]
    public void Months_that_start_after_tomorrow_are_not_read()
    {
        var query = Parse(Utc(2026, 10, 1), Utc(2027, 3, 1), out _)!;

        Assert.Equal([new(2026, 10, 1), new DateOnly(2026, 11, 1)], query.ReadableMonths(Now, KeptForever));
        Assert.Equal(
            [new(2026, 10, 1), new(2026, 11, 1), new DateOnly(2026, 12, 1)],
            query.ReadableMonths(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero), KeptForever));
    }

    [Fact]
    public void Months_past_the_term_retention_are_not_read()
    {
        var query = Parse(Utc(2026, 6, 1), Utc(2026, 12, 1), out _)!;

        Assert.Equal([new(2026, 9, 1), new(2026, 10, 1), new DateOnly(2026, 11, 1)], query.ReadableMonths(Now, new DateOnly(2026, 9, 1)));
        Assert.Empty(query.ReadableMonths(Now, new DateOnly(2027, 1, 1)));
    }

    private static readonly DateOnly KeptForever = DateOnly.MinValue;

    private static KeyTermQuery? Parse(DateTimeOffset? start, DateTimeOffset? end, out List<FieldViolation> violations)
    {
        violations = [];
        return KeyTermQuery.TryParse("app", start, end, 0, 0, 0, Now, violations);
    }

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);
}
