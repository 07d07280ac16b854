using System.Globalization;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>The Lua scripts of the store and the arguments they take.</summary>
internal static class Scripts
{
    public static readonly string Apply = WithFollowUpCommon("apply.lua");

    public static readonly string Read = Load("read.lua");

    public static readonly string List = Load("list.lua");

    public static readonly string Erase = WithFollowUpCommon("erase.lua");

    /// <summary>
    /// Builds KEYS and ARGV of the apply script for one product: the increments of one or more shares, merged, and the
    /// stamp of each share (its writer, null for none, and the sequence that must precede it, 0 for none), in order.
    /// Only scores whose count changed are sent.
    /// </summary>
    /// <remarks>
    /// <paramref name="previous"/>: each respondent answer's state as last read (null: none), whose tallies are declared
    /// so the script may take the earlier answer out of them. <paramref name="refreshTermExpiries"/>: whether every term
    /// hash the script writes gets its expiry, not only those it creates (see <see cref="TermMonths"/>).
    /// </remarks>
    public static (RedisKey[] Keys, RedisValue[] Args) ApplyArguments(
        RedisKeyLayout layout,
        IReadOnlyList<(WriterStamp? Writer, long Predecessor)> stamps,
        ProductIncrements product,
        IReadOnlyList<RespondentState?> previous,
        long writerExpiryMs,
        DayRetention retention,
        bool refreshTermExpiries = false)
    {
        var writers = new List<string>(1);
        foreach (var (writer, _) in stamps)
        {
            if (writer is { } stamp && !writers.Contains(stamp.WriterId, StringComparer.Ordinal))
            {
                writers.Add(stamp.WriterId);
            }
        }

        // Sized for what usually comes, so that the lists rarely grow: a tally's expiry, count and a few changes; a
        // record's six fields and three labels; a respondent answer's twenty-odd arguments and its dozen keys.
        var respondentCount = product.Respondents.Count;
        var keys = new List<RedisKey>(8 + writers.Count + product.Tallies.Count + (respondentCount * 13));
        var args = new List<RedisValue>(16 + product.Labels.Count + (product.Tallies.Count * 6) + (product.Records.Count * 9) + (respondentCount * 24) + (stamps.Count * 3))
        {
            writers.Count,
            writerExpiryMs,
            product.Labels.Count,
        };

        foreach (var writer in writers)
        {
            keys.Add(layout.Writer(product.ProductId, writer));
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
        var termKeys = new HashSet<(RedisKey Stems, RedisKey Surfaces)>();
        args.Add(respondents.Count);
        args.Add(layout.TallyPrefix(product.ProductId));
        for (var r = 0; r < respondents.Count; r++)
        {
            var answer = respondents[r];
            var day = DateOnly.FromDateTime(answer.AnsweredAt.UtcDateTime);
            keys.Add(layout.Respondent(product.ProductId, answer.RespondentId));
            args.Add(Microseconds(answer.AnsweredAt));
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
            args.Add(answer.Recorded ? "1" : "0");
            args.Add(answer.Comment ?? string.Empty);
            args.Add(answer.Language);
            AddTerms(args, answer.Terms);
            if (answer.Terms is not null)
            {
                termKeys.Add(TermsOf(layout, product.ProductId, ScoreClassifier.Classify(answer.Score), TimeBucket.Month(day).Label));
            }

            // The earlier answer may have counted terms, which this one takes out: their hashes are declared whether or
            // not it did (declaring costs nothing; the script refuses if an answer stored since counted others).
            if (previous[r] is { } earlier)
            {
                termKeys.Add(TermsOf(layout, product.ProductId, ScoreClassifier.Classify(int.Parse(earlier.Score, CultureInfo.InvariantCulture)), earlier.Month));
            }
        }

        AddRecords(layout, product, keys, args);
        var rules = product.Context.Records;
        var months = TermMonths(product, previous);
        args.Add(refreshTermExpiries ? "1" : "0");
        args.Add(months.Count);
        foreach (var month in months)
        {
            args.Add(month);
            args.Add(rules.TermsExpireAt(DateOnly.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture)).ToUnixTimeMilliseconds());
        }

        args.Add(rules.TermsPerMonth);
        args.Add(product.Terms.Count);
        foreach (var ((category, month), terms) in product.Terms)
        {
            args.Add(RedisKeyLayout.CategoryLetter(category).ToString());
            args.Add(month);
            AddTerms(args, terms);
            termKeys.Add(TermsOf(layout, product.ProductId, category, month));
        }

        foreach (var (stems, surfaces) in termKeys)
        {
            keys.Add(stems);
            keys.Add(surfaces);
        }

        // Last, so the script finds them from ARGV[#ARGV]: each stamped share's writer key, sequence and predecessor.
        var stamped = 0;
        foreach (var (writer, predecessor) in stamps)
        {
            if (writer is { } stamp)
            {
                args.Add(1 + writers.IndexOf(stamp.WriterId));
                args.Add(stamp.Sequence.ToString(CultureInfo.InvariantCulture));
                args.Add(predecessor > 0 ? predecessor.ToString(CultureInfo.InvariantCulture) : RedisValue.EmptyString);
                stamped++;
            }
        }

        args.Add(stamped);
        return (keys.ToArray(), args.ToArray());
    }

    /// <summary>
    /// The months (<c>yyyy-MM</c>) whose term hashes the apply script may write for <paramref name="product"/>: those of
    /// its term groups, of each respondent answer's terms and of each earlier answer it may take terms out of.
    /// </summary>
    public static IReadOnlySet<string> TermMonths(ProductIncrements product, IReadOnlyList<RespondentState?> previous)
    {
        var months = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, month) in product.Terms.Keys)
        {
            months.Add(month);
        }

        var respondents = product.RespondentAnswers;
        for (var r = 0; r < respondents.Count; r++)
        {
            if (respondents[r].Terms is not null)
            {
                months.Add(TimeBucket.Month(DateOnly.FromDateTime(respondents[r].AnsweredAt.UtcDateTime)).Label);
            }

            if (previous[r] is { } earlier)
            {
                months.Add(earlier.Month);
            }
        }

        return months;
    }

    /// <summary>
    /// The records section: whether the script may write records (then their four keys are declared), and if so the
    /// record time, the trimming bounds and the records of answers without a respondent.
    /// </summary>
    private static void AddRecords(RedisKeyLayout layout, ProductIncrements product, List<RedisKey> keys, List<RedisValue> args)
    {
        if (!product.TouchesRecords)
        {
            args.Add("0");
            return;
        }

        var productId = product.ProductId;
        keys.Add(layout.Records(productId));
        keys.Add(layout.RecordCounter(productId));
        keys.Add(layout.RecordIndex(productId));
        keys.Add(layout.FollowUps(productId));
        var rules = product.Context.Records;
        args.Add("1");
        args.Add(product.Context.Now.ToUnixTimeMilliseconds());
        args.Add(Microseconds(rules.OldestRecorded(product.Context.Now)).ToString("D16", CultureInfo.InvariantCulture));
        args.Add(rules.MaxPerProduct);
        args.Add(product.Records.Count);
        // A product's records repeat a few labels hundreds of times: each label's text is made once per script.
        var labelTexts = new Dictionary<SegmentLabel, RedisValue>();
        foreach (var record in product.Records)
        {
            args.Add(Microseconds(record.AnsweredAt));
            args.Add(record.Score);
            args.Add(record.Labels.Count);
            foreach (var label in record.Labels)
            {
                if (!labelTexts.TryGetValue(label, out var text))
                {
                    text = label.ToString();
                    labelTexts.Add(label, text);
                }

                args.Add(text);
            }

            args.Add(record.Comment ?? string.Empty);
            args.Add(record.Language);
        }
    }

    /// <summary>A terms block: the number of comments (0 when none), then each stem, its count and its surface words.</summary>
    private static void AddTerms(List<RedisValue> args, TermTally? terms)
    {
        if (terms is null)
        {
            args.Add(0);
            args.Add(0);
            return;
        }

        args.Add(terms.Comments);
        args.Add(terms.Stems.Count);
        foreach (var (stem, tally) in terms.Stems)
        {
            args.Add(stem);
            args.Add(tally.Count);
            args.Add(tally.Surfaces.Count);
            foreach (var (surface, count) in tally.Surfaces)
            {
                args.Add(surface);
                args.Add(count);
            }
        }
    }

    private static (RedisKey Stems, RedisKey Surfaces) TermsOf(RedisKeyLayout layout, string productId, ScoreCategory category, string month) =>
        (layout.Terms(productId, category, month), layout.TermSurfaces(productId, month));

    /// <summary>Microseconds since 1970: how the store writes answered_at.</summary>
    public static long Microseconds(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

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

    /// <summary>
    /// A script after the functions shared by the scripts that touch the follow-up queue (Lua scripts cannot include
    /// one another).
    /// </summary>
    internal static string WithFollowUpCommon(string name) => Load("follow_up_common.lua") + Load(name);

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
