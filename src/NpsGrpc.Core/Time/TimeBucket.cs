using System.Globalization;

namespace NpsGrpc.Core.Time;

/// <summary>What span of time a tally covers.</summary>
public enum BucketKind
{
    AllTime,
    Month,
    Day,
}

/// <summary>A tally's time span: all time, one UTC month, or one UTC day.</summary>
public readonly record struct TimeBucket(BucketKind Kind, DateOnly Start)
{
    public static TimeBucket AllTime { get; } = new(BucketKind.AllTime, DateOnly.MinValue);

    public static TimeBucket Day(DateOnly day) => new(BucketKind.Day, day);

    public static TimeBucket Month(DateOnly anyDayOfMonth) => new(BucketKind.Month, new DateOnly(anyDayOfMonth.Year, anyDayOfMonth.Month, 1));

    /// <summary>The first day after the bucket.</summary>
    public DateOnly End => Kind switch
    {
        BucketKind.Day => Start.AddDays(1),
        BucketKind.Month => Start.AddMonths(1),
        _ => DateOnly.MaxValue,
    };

    /// <summary><c>2026-11-23</c> for a day, <c>2026-11</c> for a month, empty for all time.</summary>
    public string Label => Kind switch
    {
        BucketKind.Day => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BucketKind.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    public override string ToString() => Kind == BucketKind.AllTime ? "all time" : Label;
}
