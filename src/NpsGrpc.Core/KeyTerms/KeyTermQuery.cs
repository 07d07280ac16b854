using System.Globalization;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.KeyTerms;

/// <summary>
/// A validated GetKeyTerms request: a product, the whole UTC months [<see cref="FirstMonth"/>, <see cref="EndMonth"/>),
/// and what a term needs to be listed.
/// </summary>
public sealed record KeyTermQuery(string ProductId, DateOnly FirstMonth, DateOnly EndMonth, KeyTermCriteria Criteria)
{
    /// <summary>Term counts are kept per month; more than three years of them is surely a mistake, and costly to read.</summary>
    public const int MaxMonths = 36;

    /// <summary>With no bounds, the interval is this many months, the current one last.</summary>
    public const int DefaultMonths = 3;

    /// <summary>The months of the interval, oldest first, each as its first day.</summary>
    public IReadOnlyList<DateOnly> Months()
    {
        var months = new List<DateOnly>();
        for (var month = FirstMonth; month < EndMonth; month = month.AddMonths(1))
        {
            months.Add(month);
        }

        return months;
    }

    /// <summary>
    /// The months that may hold counts by <paramref name="now"/>: answers are stamped at most minutes ahead of the
    /// clock, so a month starting after tomorrow is known to be empty and need not be read; nor is a month before
    /// <paramref name="oldestKept"/>, whose counts are past their retention: expired, or (written before term counts
    /// expired, and not written since) still there without an expiry, and not to be counted either way.
    /// </summary>
    public IReadOnlyList<DateOnly> ReadableMonths(DateTimeOffset now, DateOnly oldestKept)
    {
        var tomorrow = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        return [.. Months().Where(month => month <= tomorrow && month >= oldestKept)];
    }

    /// <summary>
    /// Validates a request, adding each problem to <paramref name="violations"/> with its field name; null when there
    /// was one. Zero means the default for <paramref name="minZ"/>, <paramref name="minCount"/> and <paramref name="maxTerms"/>;
    /// an absent start is the first of the month two before the current one, an absent end the first of next month.
    /// </summary>
    public static KeyTermQuery? TryParse(
        string productId,
        DateTimeOffset? start,
        DateTimeOffset? end,
        double minZ,
        int minCount,
        int maxTerms,
        DateTimeOffset now,
        List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var before = violations.Count;
        if (Identifier.Explain(productId, "product_id", Identifier.MaxIdLength) is { } productProblem)
        {
            violations.Add(new FieldViolation("product_id", productProblem));
        }

        var thisMonth = FirstOfMonth(DateOnly.FromDateTime(now.UtcDateTime));
        var first = start is null ? thisMonth.AddMonths(1 - DefaultMonths) : Month(start.Value, "start_time", violations);
        var endMonth = end is null ? thisMonth.AddMonths(1) : Month(end.Value, "end_time", violations);
        if (first is { } f && endMonth is { } e)
        {
            CheckRange(f, e, violations);
        }

        var criteria = KeyTermCriteria.TryCreate(minZ, minCount, maxTerms, violations);
        return violations.Count > before ? null : new KeyTermQuery(productId, first!.Value, endMonth!.Value, criteria!);
    }

    private static void CheckRange(DateOnly first, DateOnly end, List<FieldViolation> violations)
    {
        if (first < IntervalRules.EarliestDay)
        {
            violations.Add(new FieldViolation("start_time", $"start_time is before {IntervalRules.EarliestDay:yyyy-MM-dd}, the earliest day answers are counted for."));
        }

        if (end > IntervalRules.LatestDay)
        {
            violations.Add(new FieldViolation("end_time", $"end_time is after {IntervalRules.LatestDay:yyyy-MM-dd}."));
        }

        if (end <= first)
        {
            violations.Add(new FieldViolation(
                "end_time", $"end_time ({end:yyyy-MM-dd}) must be after start_time ({first:yyyy-MM-dd}); the interval is [start_time, end_time)."));
            return;
        }

        var months = ((end.Year - first.Year) * 12) + end.Month - first.Month;
        if (months > MaxMonths)
        {
            violations.Add(new FieldViolation(
                "end_time", $"The interval from {first:yyyy-MM} to {end:yyyy-MM} is {months} months; at most {MaxMonths} are allowed."));
        }
    }

    /// <summary>The month <paramref name="value"/> starts, or null (with a violation) when it is not 00:00:00 UTC on a 1st.</summary>
    private static DateOnly? Month(DateTimeOffset value, string field, List<FieldViolation> violations)
    {
        var utc = value.UtcDateTime;
        if (utc.TimeOfDay != TimeSpan.Zero || utc.Day != 1)
        {
            violations.Add(new FieldViolation(
                field,
                $"{field} must be the first of a month at 00:00:00Z: term counts are kept per UTC month; got {utc.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}Z."));
            return null;
        }

        return DateOnly.FromDateTime(utc);
    }

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);
}
