using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Validation;

public class RequestValidationExceptionTests
{
    [Fact]
    public void The_message_is_the_first_violation_and_every_violation_is_kept()
    {
        FieldViolation[] violations =
        [
            new("product_id", "product_id is required."),
            new("segment", "segment value is required."),
        ];

        var error = new RequestValidationException(violations);

        Assert.Equal("product_id is required.", error.Message);
        Assert.Equal(violations, error.Violations);
    }

    [Fact]
    public void Without_violations_the_message_says_the_request_is_invalid()
    {
        var error = new RequestValidationException([]);

        Assert.Equal("The request is invalid.", error.Message);
        Assert.Empty(error.Violations);
    }

    [Fact]
    public void Violations_with_the_same_field_and_description_are_equal() =>
        Assert.Equal(new FieldViolation("responses", "too many"), new FieldViolation("responses", "too many"));
}
