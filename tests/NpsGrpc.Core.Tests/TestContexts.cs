using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Core.Tests;

/// <summary>A fixed clock and the default retention, so folding is deterministic.</summary>
internal static class TestContexts
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static FoldContext Fold { get; } = new(Now, new DayRetention(DayRetention.DefaultRetention));
}
