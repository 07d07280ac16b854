using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Validation;

public class SegmentLabelTests
{
    [Fact]
    public void Key_equals_value_parses_into_its_two_parts()
    {
        var problem = SegmentLabel.TryParse("region=eu", out var label);

        Assert.Null(problem);
        Assert.Equal("region", label.Key);
        Assert.Equal("eu", label.Value);
        Assert.Equal(new SegmentLabel("region", "eu"), label);
    }

    [Theory]
    [InlineData("region")]
    [InlineData("")]
    [InlineData("region:eu")]
    public void Text_without_an_equals_sign_is_rejected(string text)
    {
        var problem = SegmentLabel.TryParse(text, out var label);

        Assert.NotNull(problem);
        Assert.Contains("key=value", problem, StringComparison.Ordinal);
        Assert.Equal(default, label);
    }

    [Fact]
    public void A_long_unparseable_text_is_truncated_in_the_explanation()
    {
        var text = new string('a', 200);

        var problem = SegmentLabel.TryParse(text, out _);

        Assert.NotNull(problem);
        Assert.DoesNotContain(text, problem, StringComparison.Ordinal);
        Assert.Contains(new string('a', 80) + "…", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_key_is_rejected()
    {
        var problem = SegmentLabel.TryParse("=eu", out var label);

        Assert.Equal("segment key is required.", problem);
        Assert.Equal(default, label);
    }

    [Fact]
    public void An_empty_value_is_rejected()
    {
        var problem = SegmentLabel.TryParse("region=", out var label);

        Assert.Equal("segment value is required.", problem);
        Assert.Equal(default, label);
    }

    [Fact]
    public void A_value_containing_an_equals_sign_is_rejected_because_equals_is_not_an_allowed_character()
    {
        var problem = SegmentLabel.TryParse("a=b=c", out var label);

        Assert.NotNull(problem);
        Assert.StartsWith("segment value contains '=' at position 1", problem, StringComparison.Ordinal);
        Assert.Equal(default, label);
    }

    [Fact]
    public void A_key_of_sixty_five_characters_is_rejected()
    {
        var problem = SegmentLabel.TryParse(new string('k', 65) + "=eu", out _);

        Assert.Equal("segment key is 65 characters long; at most 64 are allowed.", problem);
    }

    [Fact]
    public void A_key_of_sixty_four_characters_is_accepted()
    {
        var key = new string('k', 64);

        var problem = SegmentLabel.TryParse(key + "=eu", out var label);

        Assert.Null(problem);
        Assert.Equal(key, label.Key);
    }

    [Fact]
    public void A_value_of_sixty_four_characters_is_accepted_and_sixty_five_is_not()
    {
        Assert.Null(SegmentLabel.TryParse("plan=" + new string('v', 64), out _));
        Assert.Equal(
            "segment value is 65 characters long; at most 64 are allowed.",
            SegmentLabel.TryParse("plan=" + new string('v', 65), out _));
    }

    [Theory]
    [InlineData("re gion=eu", "segment key contains U+0020 at position 2")]
    [InlineData("region=e{u}", "segment value contains '{' at position 1")]
    public void A_disallowed_character_in_either_part_is_rejected(string text, string expectedStart)
    {
        var problem = SegmentLabel.TryParse(text, out _);

        Assert.NotNull(problem);
        Assert.StartsWith(expectedStart, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_is_written_as_key_equals_value() =>
        Assert.Equal("plan=pro", new SegmentLabel("plan", "pro").ToString());

    [Theory]
    [InlineData("region=eu")]
    [InlineData("a.b_c:d-E9=x")]
    [InlineData("channel=web:mobile-2")]
    public void Parsing_and_writing_a_label_round_trips(string text)
    {
        Assert.Null(SegmentLabel.TryParse(text, out var label));
        Assert.Equal(text, label.ToString());
        Assert.Null(SegmentLabel.TryParse(label.ToString(), out var again));
        Assert.Equal(label, again);
    }
}
