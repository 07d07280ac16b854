using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Validation;

public class IdentifierTests
{
    public static TheoryData<string> ValidIds => new()
    {
        "a",
        "Z",
        "7",
        "a.b_c:d-E9",
        new string('a', Identifier.MaxIdLength),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-",
    };

    public static TheoryData<string?> InvalidIds => new()
    {
        null,
        string.Empty,
        new string('a', Identifier.MaxIdLength + 1),
        "product 1",
        " ",
        "a{b",
        "a}b",
        "{tag}",
        "a=b",
        "a/b",
        "café",
        "smile\U0001F600",
        "a\u0001b",
        "a\nb",
        "a\0b",
        "a\tb",
    };

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Letters_digits_dot_underscore_colon_and_dash_up_to_the_limit_are_valid(string value)
    {
        Assert.True(Identifier.IsValid(value, Identifier.MaxIdLength));
        Assert.Null(Identifier.Explain(value, "product_id", Identifier.MaxIdLength));
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void Missing_overlong_or_disallowed_characters_are_invalid_and_explained(string? value)
    {
        Assert.False(Identifier.IsValid(value, Identifier.MaxIdLength));
        var explanation = Identifier.Explain(value, "product_id", Identifier.MaxIdLength);
        Assert.NotNull(explanation);
        Assert.StartsWith("product_id ", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_maximum_length_is_allowed_and_one_more_is_not()
    {
        Assert.True(Identifier.IsValid(new string('x', 128), Identifier.MaxIdLength));
        Assert.False(Identifier.IsValid(new string('x', 129), Identifier.MaxIdLength));
        Assert.True(Identifier.IsValid(new string('x', 64), Identifier.MaxLabelPartLength));
        Assert.False(Identifier.IsValid(new string('x', 65), Identifier.MaxLabelPartLength));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_name_is_explained_as_required(string? value) =>
        Assert.Equal("writer_id is required.", Identifier.Explain(value, "writer_id", Identifier.MaxIdLength));

    [Fact]
    public void An_overlong_name_is_explained_with_its_length_and_the_limit() =>
        Assert.Equal(
            "product_id is 129 characters long; at most 128 are allowed.",
            Identifier.Explain(new string('a', 129), "product_id", Identifier.MaxIdLength));

    [Fact]
    public void A_space_is_explained_by_its_code_point_and_position() =>
        Assert.Equal(
            "product_id contains U+0020 at position 7; only [A-Za-z0-9._:-] is allowed.",
            Identifier.Explain("product 1", "product_id", Identifier.MaxIdLength));

    [Theory]
    [InlineData("a{b", "'{'", 1)]
    [InlineData("ab}", "'}'", 2)]
    [InlineData("=x", "'='", 0)]
    [InlineData("a/b", "'/'", 1)]
    [InlineData("café", "U+00E9", 3)]
    [InlineData("x\U0001F600", "U+D83D", 1)]
    [InlineData("ab\u0001", "U+0001", 2)]
    [InlineData("a\nb", "U+000A", 1)]
    [InlineData("\0", "U+0000", 0)]
    public void The_explanation_names_the_first_bad_character_and_its_position(string value, string character, int position)
    {
        var explanation = Identifier.Explain(value, "segment key", Identifier.MaxLabelPartLength);

        Assert.NotNull(explanation);
        Assert.Contains($"contains {character} at position {position};", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_first_bad_character_is_reported()
    {
        var explanation = Identifier.Explain("ok/then space", "product_id", Identifier.MaxIdLength);

        Assert.NotNull(explanation);
        Assert.Contains("'/' at position 2", explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("U+0020", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_is_checked_before_characters()
    {
        var explanation = Identifier.Explain(new string(' ', 65), "segment value", Identifier.MaxLabelPartLength);

        Assert.Equal("segment value is 65 characters long; at most 64 are allowed.", explanation);
    }
}
