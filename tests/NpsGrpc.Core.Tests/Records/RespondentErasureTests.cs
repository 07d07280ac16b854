using NpsGrpc.Core.Records;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Records;

public class RespondentErasureTests
{
    [Fact]
    public void A_respondent_on_up_to_a_hundred_distinct_products_is_accepted()
    {
        var products = Enumerable.Range(0, 100).Select(i => $"p{i}").ToList();

        var erasure = Parse("hana", products, out var violations);

        Assert.Empty(violations);
        Assert.Equal(("hana", 100), (erasure!.RespondentId, erasure.ProductIds.Count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void No_products_or_more_than_a_hundred_are_rejected_on_product_ids(int count)
    {
        var erasure = Parse("hana", [.. Enumerable.Range(0, count).Select(i => $"p{i}")], out var violations);

        Assert.Null(erasure);
        Assert.Equal("product_ids", Assert.Single(violations).Field);
        Assert.Contains($"got {count}", violations[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_product_named_twice_is_rejected_at_its_second_place()
    {
        Parse("hana", ["a", "b", "a"], out var violations);

        var violation = Assert.Single(violations);
        Assert.Equal("product_ids[2]", violation.Field);
        Assert.Contains("product_ids[0]", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_respondent_and_a_bad_product_are_each_named()
    {
        Parse("x y", ["ok", "{tag}"], out var violations);

        Assert.Equal(["respondent_id", "product_ids[1]"], violations.Select(violation => violation.Field));
    }

    [Fact]
    public void A_missing_respondent_is_rejected()
    {
        Parse(string.Empty, ["a"], out var violations);

        Assert.Contains("required", Assert.Single(violations).Description, StringComparison.Ordinal);
    }

    private static RespondentErasure? Parse(string respondent, List<string> products, out List<FieldViolation> violations)
    {
        violations = [];
        return RespondentErasure.TryParse(respondent, products, violations);
    }
}
