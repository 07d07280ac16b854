using System.Globalization;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Statistics;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Watching;

/// <summary>
/// A WatchScore call, validated: what to score (a product or one segment), over all responses or a rolling window
/// of whole UTC days that moves at midnight, at which confidence level, and the least time between two scores sent.
/// </summary>
public sealed record WatchSpec(ScoreQuery Query, int WindowDays, ConfidenceLevel Level, TimeSpan MinInterval)
{
    public const int MaxWindowDays = 400;

    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LeastMinInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan GreatestMinInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest window this server can score without a day whose tally has expired: a window of n days starts
    /// n - 1 days before today, and the oldest day kept is never later than today minus the whole days of retention,
    /// so up to that many days are always there, at any time of day.
    /// </summary>
    public static int LongestWindow(DayRetention retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        return (int)Math.Min(MaxWindowDays, Math.Floor(retention.Retention.TotalDays));
    }

    /// <summary>
    /// Validates a call, adding each problem to <paramref name="violations"/>; returns null when there was one.
    /// <paramref name="windowDays"/> 0 means all responses, <paramref name="confidencePercent"/> 0 the default level,
    /// <paramref name="minInterval"/> null one second; <paramref name="longestWindow"/> is <see cref="LongestWindow"/>.
    /// </summary>
    public static WatchSpec? TryParse(
        string productId,
        string segment,
        int windowDays,
        double confidencePercent,
        TimeSpan? minInterval,
        int longestWindow,
        List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        var query = ScoreQuery.TryParse(productId, segment, string.Empty, violations);
        if (windowDays < 0 || windowDays > longestWindow)
        {
            violations.Add(new FieldViolation(
                "window_days",
                $"window_days must be 1 to {longestWindow}, the days this server keeps day tallies for (0 means all responses); got {windowDays}."));
        }

        if (ConfidenceLevel.TryCreate(confidencePercent, "confidence_percent", out var level) is { } badLevel)
        {
            violations.Add(badLevel);
        }

        var interval = minInterval ?? DefaultMinInterval;
        if (interval < LeastMinInterval || interval > GreatestMinInterval)
        {
            violations.Add(new FieldViolation(
                "min_interval",
                $"min_interval must be 100 ms to 1 h (absent means 1 s); got {interval.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture)} s."));
        }

        return violations.Count > before ? null : new WatchSpec(query!, windowDays, level, interval);
    }

    /// <summary>The days scored at <paramref name="now"/>: the last <see cref="WindowDays"/> UTC days, today included; null for all responses.</summary>
    public DayInterval? WindowAt(DateTimeOffset now) => Window(WindowDays, now);

    /// <summary>The rolling window of <paramref name="days"/> days at <paramref name="now"/>; null when <paramref name="days"/> is 0.</summary>
    public static DayInterval? Window(int days, DateTimeOffset now)
    {
        if (days == 0)
        {
            return null;
        }

        var tomorrow = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        return new DayInterval(tomorrow.AddDays(-days), tomorrow);
    }

    /// <summary>When the window next moves (the next midnight UTC); null for all responses, which never moves.</summary>
    public DateTimeOffset? NextWindowMove(DateTimeOffset now) =>
        WindowDays == 0 ? null : DayInterval.StartOf(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1));
}
