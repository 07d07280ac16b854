using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Time;

/// <summary>Validates a requested [start, end) interval against the granularity the tallies are kept at.</summary>
public static class IntervalRules
{
    public static readonly DateOnly EarliestDay = new(2000, 1, 1);

    /// <summary>A bound past which an interval is surely a mistake (and would only read empty tallies).</summary>
    public static readonly DateOnly LatestDay = new(2200, 1, 1);

    /// <summary>
    /// Answers are stamped at most minutes ahead of the clock, so no tally starting after tomorrow can hold
    /// anything yet: such buckets are known to be empty and need not be read.
    /// </summary>
    public static IReadOnlyList<TimeBucket> Readable(IEnumerable<TimeBucket> buckets, DateTimeOffset now)
    {
        var tomorrow = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        return [.. buckets.Where(bucket => bucket.Start <= tomorrow)];
    }

    /// <summary>
    /// Both bounds absent means all time (null). Otherwise both bounds must fall on 00:00:00 UTC, from
    /// 2000-01-01 to 2200-01-01; an absent end means "up to and including today". A future end is allowed (this
    /// month is [1st, 1st of next month)). Violations are added with <paramref name="fieldPrefix"/>.
    /// </summary>
    public static DayInterval? Parse(
        DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now, string fieldPrefix, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (start is null && end is null)
        {
            return null;
        }

        var before = violations.Count;
        if (start is null)
        {
            violations.Add(new FieldViolation(fieldPrefix + "start_time", "start_time is required when end_time is set."));
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var startDay = Day(start.Value, fieldPrefix + "start_time", violations);
        var endDay = end is null ? today.AddDays(1) : Day(end.Value, fieldPrefix + "end_time", violations);
        if (violations.Count > before)
        {
            return null;
        }

        if (startDay < EarliestDay)
        {
            violations.Add(new FieldViolation(fieldPrefix + "start_time", $"start_time is before {EarliestDay:yyyy-MM-dd}, the earliest day answers are counted for."));
        }

        if (endDay > LatestDay)
        {
            violations.Add(new FieldViolation(fieldPrefix + "end_time", $"end_time is after {LatestDay:yyyy-MM-dd}."));
        }

        if (endDay <= startDay)
        {
            violations.Add(new FieldViolation(fieldPrefix + "end_time", $"end_time ({endDay:yyyy-MM-dd}) must be after start_time ({startDay:yyyy-MM-dd}); the interval is [start_time, end_time)."));
        }

        return violations.Count > before ? null : new DayInterval(startDay, endDay);
    }

    private static DateOnly Day(DateTimeOffset value, string field, List<FieldViolation> violations)
    {
        var utc = value.UtcDateTime;
        if (utc.TimeOfDay != TimeSpan.Zero)
        {
            violations.Add(new FieldViolation(
                field,
                $"{field} must fall on a UTC day boundary (00:00:00Z): scores are kept per UTC day and month; got {utc:yyyy-MM-ddTHH:mm:ss.FFFFFFF}Z."));
        }

        return DateOnly.FromDateTime(utc);
    }
}

/// <summary>The request needs day buckets that have already expired: answering would silently undercount.</summary>
public sealed class ExpiredDaysException(DateOnly firstRequestedDay, DateOnly oldestRetainedDay)
    : Exception(
        $"Day-level tallies before {oldestRetainedDay:yyyy-MM-dd} have expired (retention), and the interval needs {firstRequestedDay:yyyy-MM-dd}. " +
        "Start and end such intervals on the first day of a month: month tallies never expire.")
{
    public DateOnly FirstRequestedDay { get; } = firstRequestedDay;

    public DateOnly OldestRetainedDay { get; } = oldestRetainedDay;

    /// <summary>Throws when any day bucket in <paramref name="buckets"/> is older than retention keeps.</summary>
    public static void ThrowIfAnyExpired(IEnumerable<TimeBucket> buckets, DayRetention retention, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var oldest = retention.OldestRetainedDay(now);
        var firstExpired = buckets.Where(bucket => bucket.Kind == BucketKind.Day && bucket.Start < oldest)
            .Select(bucket => (DateOnly?)bucket.Start).Min();
        if (firstExpired is { } day)
        {
            throw new ExpiredDaysException(day, oldest);
        }
    }
}
