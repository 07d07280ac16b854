using System.Globalization;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>The Lua script that applies one product's increments, and the arguments it takes.</summary>
internal static class ApplyScript
{
    public static readonly string Source = LoadSource();

    /// <summary>Builds KEYS and ARGV for one product: only scores whose count changed are sent.</summary>
    public static (RedisKey[] Keys, RedisValue[] Args) Arguments(
        RedisKeyLayout layout, WriterStamp? writer, ProductIncrements product, long writerExpiryMs)
    {
        var hasWriter = writer.HasValue;
        var tallyCount = 1 + product.Segments.Count;
        var keys = new RedisKey[(hasWriter ? 1 : 0) + tallyCount];
        var args = new List<RedisValue>(2 + (tallyCount * 5))
        {
            hasWriter ? writer!.Value.Sequence.ToString(CultureInfo.InvariantCulture) : RedisValue.EmptyString,
            writerExpiryMs,
        };

        var k = 0;
        if (hasWriter)
        {
            keys[k++] = layout.Writer(product.ProductId, writer!.Value.WriterId);
        }

        keys[k++] = layout.All(product.ProductId);
        AddChanges(args, product.All);
        foreach (var (label, distribution) in product.Segments)
        {
            keys[k++] = layout.Segment(product.ProductId, label);
            AddChanges(args, distribution);
        }

        return (keys, args.ToArray());
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

    private static string LoadSource()
    {
        using var stream = typeof(ApplyScript).Assembly.GetManifestResourceStream("NpsGrpc.Redis.Scripts.apply.lua")
            ?? throw new InvalidOperationException("The apply script is not embedded in the assembly.");
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
