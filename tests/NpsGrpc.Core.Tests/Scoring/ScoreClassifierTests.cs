using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.Tests.Scoring;

public class ScoreClassifierTests
{
    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void Nine_and_ten_are_promoters(int score) =>
        Assert.Equal(ScoreCategory.Promoter, ScoreClassifier.Classify(score));

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Seven_and_eight_are_passives(int score) =>
        Assert.Equal(ScoreCategory.Passive, ScoreClassifier.Classify(score));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Zero_through_six_are_detractors(int score) =>
        Assert.Equal(ScoreCategory.Detractor, ScoreClassifier.Classify(score));

    [Fact]
    public void The_eleven_scores_split_into_seven_detractors_two_passives_and_two_promoters()
    {
        var categories = Enumerable.Range(ScoreClassifier.MinScore, ScoreClassifier.MaxScore - ScoreClassifier.MinScore + 1)
            .Select(ScoreClassifier.Classify)
            .ToList();

        Assert.Equal(11, categories.Count);
        Assert.Equal(7, categories.Count(c => c == ScoreCategory.Detractor));
        Assert.Equal(2, categories.Count(c => c == ScoreCategory.Passive));
        Assert.Equal(2, categories.Count(c => c == ScoreCategory.Promoter));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Scores_outside_zero_to_ten_cannot_be_classified(int score)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ScoreClassifier.Classify(score));
        Assert.Equal("score", error.ParamName);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(5, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Only_zero_to_ten_are_valid_scores(int score, bool valid) =>
        Assert.Equal(valid, ScoreClassifier.IsValidScore(score));
}
