using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Validation;

public class CommentTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Slow support.")]
    [InlineData("line one\nline two\tand a tab")]
    [InlineData("Très bien, merci !")]
    [InlineData("\U0001F600 great")]
    [InlineData("日本語のコメント")]
    public void Text_with_newlines_tabs_accents_emoji_and_any_script_is_valid(string comment)
    {
        Assert.Null(CommentText.Explain(comment, out var normalized, out var tooLong));
        Assert.Equal(comment, normalized);
        Assert.False(tooLong);
    }

    [Theory]
    [InlineData("a\0b", "U+0000", 1)]
    [InlineData("\rnew", "U+000D", 0)]
    [InlineData("abc\u001B[0m", "U+001B", 3)]
    [InlineData("x\u007F", "U+007F", 1)]
    [InlineData("x\u0085", "U+0085", 1)]
    [InlineData("\U0001F600\u0001", "U+0001", 1)]
    public void A_control_character_other_than_newline_and_tab_is_refused_naming_it_and_its_code_point(string comment, string named, int codePoint)
    {
        var problem = CommentText.Explain(comment, out _, out var tooLong);

        Assert.NotNull(problem);
        Assert.False(tooLong);
        Assert.Contains(named, problem, StringComparison.Ordinal);
        Assert.Contains($"code point {codePoint}", problem, StringComparison.Ordinal);
    }

    // A Fact, not a Theory: xunit's serialisation of theory data would turn each lone surrogate into U+FFFD.
    [Fact]
    public void The_replacement_character_and_unpaired_surrogates_are_refused()
    {
        (string Comment, string Named)[] cases =
        [
            ("bad \uFFFD byte", "U+FFFD"),
            ("lone \uD83D high", "unpaired surrogate U+D83D at code point 5"),
            ("lone \uDE00 low", "unpaired surrogate U+DE00"),
            ("ends high \uD83D", "unpaired surrogate U+D83D"),
            ("\U0001F600\uDE00\uD83D", "unpaired surrogate U+DE00 at code point 1"),
        ];
        foreach (var (comment, named) in cases)
        {
            var problem = CommentText.Explain(comment, out _, out var tooLong);

            Assert.False(tooLong);
            Assert.Contains(named, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_comment_is_normalised_to_NFC()
    {
        Assert.Null(CommentText.Explain("Cafe\u0301 \u212B", out var normalized, out _));

        Assert.Equal("Caf\u00e9 \u00c5", normalized);
    }

    [Fact]
    public void Exactly_2000_code_points_are_valid_even_as_4000_UTF16_units_and_one_more_is_too_long()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", CommentText.MaxCodePoints));

        Assert.Null(CommentText.Explain(emoji, out _, out _));
        Assert.Null(CommentText.Explain(new string('a', CommentText.MaxCodePoints), out _, out _));
        var problem = CommentText.Explain(emoji + "a", out _, out var tooLong);
        Assert.True(tooLong);
        Assert.Contains("2001 Unicode code points", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_length_is_counted_after_normalising_so_what_composes_fits_and_what_decomposes_may_not()
    {
        // 4000 code points that NFC composes into 2000 'é'.
        Assert.Null(CommentText.Explain(string.Concat(Enumerable.Repeat("e\u0301", 2000)), out var composed, out _));
        Assert.Equal(2000, composed.Length);

        // U+0958 is excluded from composition: NFC writes it as two code points, so 1001 of them are 2002.
        var problem = CommentText.Explain(new string('\u0958', 1001), out _, out var tooLong);
        Assert.True(tooLong);
        Assert.Contains("2002 Unicode code points", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_character_is_reported_before_the_length()
    {
        var problem = CommentText.Explain(new string('a', 3000) + "\0", out _, out var tooLong);

        Assert.False(tooLong);
        Assert.Contains("U+0000", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void This_process_can_normalise() => Assert.True(CommentText.CanNormalize);
}
