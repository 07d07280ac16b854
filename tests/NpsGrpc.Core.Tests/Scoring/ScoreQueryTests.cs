using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Scoring;

public class ScoreQueryTests
{
    [Fact]
    public void A_valid_product_alone_queries_the_whole_product()
    {
        var query = ScoreQuery.Parse("product-1", string.Empty);

        Assert.Equal("product-1", query.ProductId);
        Assert.Null(query.Segment);
    }

    [Fact]
    public void A_product_and_a_label_query_that_segment()
    {
        var query = ScoreQuery.Parse("product-1", "region=eu");

        Assert.Equal("product-1", query.ProductId);
        Assert.Equal(new SegmentLabel("region", "eu"), query.Segment);
    }

    [Fact]
    public void An_invalid_product_and_an_invalid_segment_are_reported_together()
    {
        var error = Assert.Throws<RequestValidationException>(() => ScoreQuery.Parse("bad product", "no-separator"));

        Assert.Equal(["product_id", "segment"], error.Violations.Select(v => v.Field));
        Assert.Equal(error.Violations[0].Description, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("product/1")]
    public void An_invalid_product_alone_is_reported_on_product_id(string productId)
    {
        var error = Assert.Throws<RequestValidationException>(() => ScoreQuery.Parse(productId, "region=eu"));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("product_id", violation.Field);
        Assert.StartsWith("product_id ", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("region")]
    [InlineData("=eu")]
    [InlineData("region=")]
    [InlineData("region=e u")]
    [InlineData("a=b=c")]
    public void An_invalid_segment_alone_is_reported_on_segment(string segment)
    {
        var error = Assert.Throws<RequestValidationException>(() => ScoreQuery.Parse("product-1", segment));

        Assert.Equal("segment", Assert.Single(error.Violations).Field);
    }
}
