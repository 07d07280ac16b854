using System.Globalization;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Time;

/// <summary>The period length of a trend.</summary>
public enum Granularity
{
    Day,
    Week,
    Month,
}

/// <summary>One point of a trend: the period it stands for, and the window of days its score is computed over.</summary>
public sealed record TrendPoint(DateOnly PeriodStart, DateOnly PeriodEnd, DayInterval Window);

/// <summary>Cuts an interval into the periods of a trend, each scored over its own period or over a rolling window ending with it.</summary>
public static class TrendPlanner
{
    public const int MaxPoints = 1000;
    public const int MaxRollingWindowDays = 3660;

    public static IReadOnlyList<TrendPoint> Plan(DayInterval range, Granularity granularity, int rollingWindowDays, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        CheckAligned(range.Start, granularity, "start_time", violations);
        CheckAligned(range.End, granularity, "end_time", violations);
        if (rollingWindowDays is < 0 or > MaxRollingWindowDays)
        {
            violations.Add(new FieldViolation("rolling_window_days", $"rolling_window_days is 0 (off) to {MaxRollingWindowDays}; got {rollingWindowDays}."));
        }

        if (violations.Count > before)
        {
            return [];
        }

        var points = new List<TrendPoint>();
        for (var start = range.Start; start < range.End; start = Next(start, granularity))
        {
            if (points.Count == MaxPoints)
            {
                violations.Add(new FieldViolation(
                    "end_time",
                    $"the trend would have more than {MaxPoints} points; shorten the interval or use a coarser granularity."));
                return [];
            }

            var end = Next(start, granularity);
            var window = rollingWindowDays > 0 ? new DayInterval(end.AddDays(-rollingWindowDays), end) : new DayInterval(start, end);
            points.Add(new TrendPoint(start, end, window));
        }

        return points;
    }

    private static DateOnly Next(DateOnly start, Granularity granularity) => granularity switch
    {
        Granularity.Day => start.AddDays(1),
        Granularity.Week => start.AddDays(7),
        _ => start.AddMonths(1),
    };

    private static void CheckAligned(DateOnly day, Granularity granularity, string field, List<FieldViolation> violations)
    {
        // ISO weeks start on Monday; ISO week 53 needs nothing special once periods are cut at Mondays.
        if (granularity == Granularity.Week && day.DayOfWeek != DayOfWeek.Monday)
        {
            violations.Add(new FieldViolation(field, $"{field} must be a Monday (ISO weeks) for GRANULARITY_WEEK; {day:yyyy-MM-dd} is a {day.DayOfWeek}."));
        }
        else if (granularity == Granularity.Month && day.Day != 1)
        {
            violations.Add(new FieldViolation(field, $"{field} must be the first day of a month for GRANULARITY_MONTH; got {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}."));
        }
    }
}
