using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// What folding a batch needs to know besides the batch: the receive time, how long day buckets live, and how many
/// segment labels a response may carry (the configured limit, at most the contract's 16).
/// </summary>
public sealed record FoldContext(DateTimeOffset Now, DayRetention Retention, int MaxSegmentsPerResponse = IngestionLimits.MaxSegmentsPerResponse)
{
    /// <summary>Answers may be stamped a little ahead of the server's clock (clock skew), not more.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Nothing is older than the product.</summary>
    public static readonly DateTimeOffset EarliestAnswer = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
