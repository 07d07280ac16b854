using System.Globalization;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>The Lua scripts of the store and the arguments they take.</summary>
internal static class Scripts
{
    public static readonly string Apply = Load("apply.lua");

    public static readonly string Read = Load("read.lua");

    /// <summary>Builds KEYS and ARGV of the apply script for one product: only scores whose count changed are sent.</summary>
    /// <remarks>
    /// <paramref name="previous"/>: each respondent answer's state as last read (null: none), whose tallies are declared
    /// so the script may take the earlier answer out of them.
    /// </remarks>
    public static (RedisKey[] Keys, RedisValue[] Args) ApplyArguments(
        RedisKeyLayout layout,
        WriterStamp? writer,
        ProductIncrements product,
        IReadOnlyList<RespondentState?> previous,
        long predecessor,
        long writerExpiryMs,
        DayRetention retention)
    {
        var keys = new List<RedisKey>(2 + product.Tallies.Count);
        var args = new List<RedisValue>(3 + product.Labels.Count + (product.Tallies.Count * 6))
        {
            writer is { } stamp ? stamp.Sequence.ToString(CultureInfo.InvariantCulture) : RedisValue.EmptyString,
            writerExpiryMs,
            product.Labels.Count,
        };

        if (writer is { } w)
        {
            keys.Add(layout.Writer(product.ProductId, w.WriterId));
        }

        keys.Add(layout.Labels(product.ProductId));
        foreach (var label in product.Labels)
        {
            args.Add(label.ToString());
        }

        args.Add(product.Tallies.Count);
        foreach (var (key, distribution) in product.Tallies)
        {
            keys.Add(layout.Tally(product.ProductId, key));
            args.Add(key.Bucket.Kind == BucketKind.Day ? retention.ExpiresAt(key.Bucket.Start).ToUnixTimeMilliseconds() : 0);
            AddChanges(args, distribution);
        }

        var respondents = product.RespondentAnswers;
        args.Add(respondents.Count);
        args.Add(layout.TallyPrefix(product.ProductId));
        for (var r = 0; r < respondents.Count; r++)
        {
            var answer = respondents[r];
            var day = DateOnly.FromDateTime(answer.AnsweredAt.UtcDateTime);
            keys.Add(layout.Respondent(product.ProductId, answer.RespondentId));
            args.Add((answer.AnsweredAt - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond);
            args.Add(answer.Score);
            args.Add(TimeBucket.Day(day).Label);
            args.Add(TimeBucket.Month(day).Label);
            args.Add(answer.DayCounted ? "1" : "0");
            args.Add(retention.ExpiresAt(day).ToUnixTimeMilliseconds());
            args.Add(answer.Labels.Count);
            foreach (var label in answer.Labels)
            {
                args.Add(label.ToString());
            }

            var newTallies = TallyKey.MovedByAnswer(day, answer.DayCounted, answer.Labels);
            var oldTallies = previous[r]?.Tallies() ?? [];
            args.Add(newTallies.Count);
            args.Add(oldTallies.Count);
            keys.AddRange(newTallies.Select(tally => layout.Tally(product.ProductId, tally)));
            keys.AddRange(oldTallies.Select(tally => layout.Tally(product.ProductId, tally)));
        }

        // Last, so the script finds it as ARGV[#ARGV]: the sequence that must already be applied ('' for none).
        args.Add(writer is not null && predecessor > 0 ? predecessor.ToString(CultureInfo.InvariantCulture) : RedisValue.EmptyString);
        return (keys.ToArray(), args.ToArray());
    }

    /// <summary>Parses the eleven counts that start at <paramref name="offset"/> of a read script result.</summary>
    public static ScoreDistribution Distribution(RedisResult[] values, int offset)
    {
        var counts = new long[ScoreDistribution.Length];
        for (var score = 0; score < counts.Length; score++)
        {
            counts[score] = (long)values[offset + score];
        }

        return ScoreDistribution.FromCounts(counts);
    }

    private static void AddChanges(List<RedisValue> args, ScoreDistribution distribution)
    {
        var countIndex = args.Count;
        args.Add(0);
        var changes = 0;
        for (var score = 0; score < ScoreDistribution.Length; score++)
        {
            var increment = distribution[score];
            if (increment != 0)
            {
                args.Add(ScoreFields.Names[score]);
                args.Add(increment);
                changes++;
            }
        }

        args[countIndex] = changes;
    }

    internal static string Load(string name)
    {
        using var stream = typeof(Scripts).Assembly.GetManifestResourceStream("NpsGrpc.Redis.Scripts." + name)
            ?? throw new InvalidOperationException($"The script {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>The hash field names of the eleven scores: "0" … "10".</summary>
internal static class ScoreFields
{
    public static readonly RedisValue[] Names =
        [.. Enumerable.Range(0, ScoreDistribution.Length).Select(score => (RedisValue)score.ToString(CultureInfo.InvariantCulture))];
}
