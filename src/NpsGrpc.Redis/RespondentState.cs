using System.Globalization;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Validation;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>
/// A respondent's counted answer as its state hash stores it: answered_at (µs), score, UTC day, UTC month, whether
/// the day tally was counted, and the labels joined by ','. Read before the apply script so that the tallies the
/// earlier answer moved can be declared as keys; the script refuses, and answers the state it found, when the answer
/// stored by then moved a tally that was not declared.
/// </summary>
internal sealed record RespondentState(string AnsweredAt, string Score, string Day, string Month, string DayCounted, string Labels)
{
    public static readonly RedisValue[] Fields = ["t", "s", "d", "m", "dk", "g"];

    /// <summary>
    /// The state from its <see cref="Fields"/> in order, as HMGET or the apply script's refusal gives them; null when
    /// the respondent has none (HMGET answers nil for it, the script '').
    /// </summary>
    public static RespondentState? From(ReadOnlySpan<RedisValue> values) => values[0].IsNullOrEmpty
        ? null
        : new RespondentState(values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values.Length > 5 && !values[5].IsNull ? values[5]! : string.Empty);

    /// <summary>The state at <paramref name="offset"/> of the apply script's "declare these and retry" reply.</summary>
    public static RespondentState? FromReply(RedisResult[] reply, int offset)
    {
        var values = new RedisValue[Fields.Length];
        for (var f = 0; f < values.Length; f++)
        {
            values[f] = (RedisValue)reply[offset + f];
        }

        return From(values);
    }

    /// <summary>The tallies this stored answer moved.</summary>
    public IReadOnlyList<TallyKey> Tallies()
    {
        var labels = new List<SegmentLabel>();
        foreach (var text in Labels.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            // Only the apply script writes this field, from labels that were valid then.
            if (SegmentLabel.TryParse(text, out var label) is null)
            {
                labels.Add(label);
            }
        }

        return TallyKey.MovedByAnswer(DateOnly.ParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), DayCounted == "1", labels);
    }
}
