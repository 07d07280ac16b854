using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Validation;

public class LanguageTagTests
{
    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("EN")]
    [InlineData("en-GB")]
    [InlineData("fil")]
    [InlineData("zh-Hant-TW")]
    [InlineData("es-419")]
    [InlineData("de-CH-1996")]
    [InlineData("en-a-bbbbbbbb")]
    public void Tags_of_the_contracts_form_are_valid(string tag)
    {
        Assert.True(LanguageTag.IsValid(tag));
        Assert.Null(LanguageTag.Explain(tag, "language_code"));
    }

    [Theory]
    [InlineData("e")]
    [InlineData("engl")]
    [InlineData("en_GB")]
    [InlineData("en-")]
    [InlineData("-en")]
    [InlineData("en--GB")]
    [InlineData("en-abcdefghi")]
    [InlineData("e1")]
    [InlineData("en GB")]
    [InlineData("en\n")]
    [InlineData("fr\u00e9")]
    [InlineData("")]
    public void Anything_else_is_refused_saying_what_a_tag_looks_like(string tag)
    {
        Assert.False(LanguageTag.IsValid(tag));
        Assert.StartsWith("language_code must be a BCP 47 tag", LanguageTag.Explain(tag, "language_code"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_is_at_most_35_characters()
    {
        var longest = "en-" + string.Join('-', Enumerable.Repeat("abcdefgh", 3)) + "-abcde";
        Assert.Equal(LanguageTag.MaxLength, longest.Length);

        Assert.True(LanguageTag.IsValid(longest));
        Assert.False(LanguageTag.IsValid(longest + "h"));
    }

    [Fact]
    public void A_refused_tag_is_shown_printable_and_short()
    {
        var problem = LanguageTag.Explain("\u0001" + new string('x', 100), "language_code")!;

        Assert.Contains("'U+0001xxxx", problem, StringComparison.Ordinal);
        Assert.Contains("…'", problem, StringComparison.Ordinal);
    }
}
