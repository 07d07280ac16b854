namespace NpsGrpc.Core.Time;

/// <summary>
/// A half-open span of whole UTC days, [Start, End). Intervals are day-granular: the tallies are kept per UTC
/// day and month, so a boundary inside a day could not be answered exactly.
/// </summary>
public readonly record struct DayInterval(DateOnly Start, DateOnly End)
{
    public int Days => End.DayNumber - Start.DayNumber;

    /// <summary>
    /// The fewest buckets that tile the interval: whole calendar months as month buckets, the ragged ends as
    /// day buckets. Ten years is 120 months plus at most 60 days.
    /// </summary>
    public IReadOnlyList<TimeBucket> Buckets()
    {
        var buckets = new List<TimeBucket>();
        var cursor = Start;
        while (cursor < End)
        {
            if (cursor.Day == 1 && cursor.AddMonths(1) <= End)
            {
                buckets.Add(TimeBucket.Month(cursor));
                cursor = cursor.AddMonths(1);
            }
            else
            {
                buckets.Add(TimeBucket.Day(cursor));
                cursor = cursor.AddDays(1);
            }
        }

        return buckets;
    }

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public override string ToString() => $"[{Start:yyyy-MM-dd}, {End:yyyy-MM-dd})";
}
