using System.Globalization;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Redis.FollowUps;

/// <summary>The follow-up queue's Lua scripts and the one value they share with C#: a group's settings.</summary>
internal static class FollowUpScripts
{
    public static readonly string Open = Scripts.Load("follow_up_open.lua");

    public static readonly string Poll = Scripts.WithFollowUpCommon("follow_up_poll.lua");

    public static readonly string Acknowledge = Scripts.WithFollowUpCommon("follow_up_ack.lua");

    public static readonly string Backlog = Scripts.WithFollowUpCommon("follow_up_backlog.lua");

    /// <summary>
    /// A group's settings as the hash <c>prefix:{product}:fug</c> keeps them: <c>categories|only with comment|visibility ms</c>,
    /// the categories as the contract numbers them (1 detractor, 2 passive, 3 promoter) in ascending order, so equal
    /// settings are equal strings; e.g. <c>1|0|300000</c>.
    /// </summary>
    public static string Encode(FollowUpGroupSettings settings) => string.Join(
        '|',
        string.Join(',', settings.Categories.Order().Select(category => ((int)category + 1).ToString(CultureInfo.InvariantCulture))),
        settings.OnlyWithComment ? "1" : "0",
        ((long)settings.VisibilityTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads settings <see cref="Encode"/> wrote; throws <see cref="FormatException"/> for anything else.</summary>
    public static FollowUpGroupSettings Decode(string value)
    {
        if (value.Split('|') is not [var categories, "0" or "1", var visibility]
            || !long.TryParse(visibility, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            throw new FormatException($"'{value}' is not a follow-up group's settings.");
        }

        var parsed = categories.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(number => int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture) - 1)
            .Where(number => Enum.IsDefined((ScoreCategory)number))
            .Select(number => (ScoreCategory)number);
        return new FollowUpGroupSettings(parsed, value.Split('|')[1] == "1", TimeSpan.FromMilliseconds(milliseconds));
    }

    /// <summary>
    /// The id a group created for <paramref name="start"/> starts after: the last entry now (<c>$</c>) without one, else
    /// the id just before the start's millisecond, so entries of that millisecond are delivered. Entry ids are the
    /// Redis clock (ms) when the record was added, the same instant the record's record_time gives within a few ms.
    /// </summary>
    public static string StartAfter(DateTimeOffset? start)
    {
        if (start is not { } instant)
        {
            return "$";
        }

        var milliseconds = instant.ToUnixTimeMilliseconds();
        return milliseconds <= 0 ? "0-0" : string.Create(CultureInfo.InvariantCulture, $"{milliseconds - 1}-{ulong.MaxValue}");
    }
}
