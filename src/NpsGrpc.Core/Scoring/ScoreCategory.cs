namespace NpsGrpc.Core.Scoring;

/// <summary>The three groups of the Net Promoter method.</summary>
public enum ScoreCategory
{
    Detractor,
    Passive,
    Promoter,
}

/// <summary>Maps a 0–10 answer to its group.</summary>
public static class ScoreClassifier
{
    public const int MinScore = 0;
    public const int MaxScore = 10;

    public static bool IsValidScore(int score) => score is >= MinScore and <= MaxScore;

    public static ScoreCategory Classify(int score) => score switch
    {
        >= 9 and <= MaxScore => ScoreCategory.Promoter,
        >= 7 and <= 8 => ScoreCategory.Passive,
        >= MinScore and <= 6 => ScoreCategory.Detractor,
        _ => throw new ArgumentOutOfRangeException(nameof(score), score, "A score is 0 to 10."),
    };
}
