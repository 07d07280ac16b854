namespace NpsGrpc.Core.Time;

/// <summary>
/// Day buckets live for <see cref="Retention"/> after their day ends; month buckets and all-time tallies
/// forever. A day that has expired must never be read as a day without responses.
/// </summary>
public sealed record DayRetention(TimeSpan Retention)
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(400);

    /// <summary>The oldest day whose bucket still exists at <paramref name="now"/>.</summary>
    public DateOnly OldestRetainedDay(DateTimeOffset now) => DateOnly.FromDateTime((now - Retention).UtcDateTime);

    public bool IsRetained(DateOnly day, DateTimeOffset now) => day >= OldestRetainedDay(now);

    /// <summary>When the bucket of <paramref name="day"/> expires.</summary>
    public DateTimeOffset ExpiresAt(DateOnly day) => DayInterval.StartOf(day.AddDays(1)) + Retention;
}
