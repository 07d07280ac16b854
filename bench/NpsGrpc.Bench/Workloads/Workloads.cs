using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Bench.Load;
using NpsGrpc.V1;

namespace NpsGrpc.Bench.Workloads;

/// <summary>The generated batches of each scenario; seeded, so every run sends the same bytes.</summary>
internal static class Workload
{
    /// <summary>The segment vocabularies of the realistic mix: one label from each per response.</summary>
    public static readonly (string Key, string[] Values)[] Vocabularies =
    [
        ("region", ["eu", "us", "apac", "latam"]),
        ("plan", ["free", "pro", "enterprise"]),
        ("channel", ["web", "ios", "android", "email", "support"]),
    ];

    public const double ZipfExponent = 1.1;

    public const double RespondentShare = 0.10;

    /// <summary>The share of the realistic mix's responses that carry a comment in the commented runs.</summary>
    public const double CommentShare = 0.20;

    /// <summary>About how many characters a generated comment has.</summary>
    public const int CommentLength = 200;

    /// <summary>Batches of one hot product, scores uniform over 0-10, no segments, no answered_at (the server's clock).</summary>
    public static EncodedResponses[] HotProduct(string productId, int batchSize, int distinctBatches, int seed = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, distinctBatches).Select(_ => new EncodedResponses(
            [.. Enumerable.Range(0, batchSize).Select(_ => new SurveyResponse { ProductId = productId, Score = random.Next(11) })]))];
    }

    /// <summary>
    /// The realistic mix: <paramref name="products"/> products drawn with Zipf(1.1) popularity, one label from each
    /// vocabulary per response, and a respondent id (from a space of ten million) on 10 % of responses.
    /// </summary>
    public static EncodedResponses[] RealisticMix(string productPrefix, int products, int batchSize, int distinctBatches, int seed = 2) =>
        RealisticMix(productPrefix, products, batchSize, distinctBatches, commentShare: 0, seed);

    /// <summary>
    /// The realistic mix with a comment of about <see cref="CommentLength"/> characters on a share of the responses
    /// (<see cref="Comments"/>: four in five English, one in five French, tagged with their language).
    /// </summary>
    public static EncodedResponses[] RealisticMix(string productPrefix, int products, int batchSize, int distinctBatches, double commentShare, int seed = 2)
    {
        var random = new Random(seed);
        var comments = new Random(seed + 100);
        var zipf = new Zipf(products, ZipfExponent);
        return [.. Enumerable.Range(0, distinctBatches).Select(_ => new EncodedResponses(
            [.. Enumerable.Range(0, batchSize).Select(_ =>
            {
                var response = new SurveyResponse { ProductId = $"{productPrefix}{zipf.Next(random):D4}", Score = random.Next(11) };
                foreach (var (key, values) in Vocabularies)
                {
                    response.Segments[key] = values[random.Next(values.Length)];
                }

                if (random.NextDouble() < RespondentShare)
                {
                    response.RespondentId = $"customer-{random.Next(10_000_000)}";
                }

                // A separate generator, so the scores, labels and respondents are those of the plain mix.
                if (commentShare > 0 && comments.NextDouble() < commentShare)
                {
                    (response.Comment, response.LanguageCode) = Comments.Next(comments);
                }

                return response;
            })]))];
    }

    /// <summary>Responses of one product spread evenly over the last <paramref name="days"/> days, for interval reads.</summary>
    public static EncodedResponses[] SpreadOverDays(string productId, int batchSize, int distinctBatches, int days, DateTimeOffset now, int seed = 3)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, distinctBatches).Select(_ => new EncodedResponses(
            [.. Enumerable.Range(0, batchSize).Select(_ => new SurveyResponse
            {
                ProductId = productId,
                Score = random.Next(11),
                AnsweredAt = Timestamp.FromDateTimeOffset(now.AddSeconds(-random.NextDouble() * days * 86400)),
            })]))];
    }

    /// <summary>Answers of distinct respondents of one product (for the memory scenario).</summary>
    public static EncodedResponses[] DistinctRespondents(string productId, int batchSize, int batches, int seed = 4)
    {
        var random = new Random(seed);
        var next = 0;
        return [.. Enumerable.Range(0, batches).Select(_ => new EncodedResponses(
            [.. Enumerable.Range(0, batchSize).Select(_ => new SurveyResponse
            {
                ProductId = productId,
                Score = random.Next(11),
                RespondentId = $"customer-{next++}",
            })]))];
    }
}

/// <summary>Comments of about <see cref="Workload.CommentLength"/> characters, sentences drawn from small English and French pools.</summary>
internal static class Comments
{
    private static readonly string[] English =
    [
        "The app is slow to load every morning.", "Support took three days to answer my ticket.", "I love how easy the reports are to share.",
        "Setting up the integration was easy.", "Prices went up again this year.", "The new dashboard is clear and quick.",
        "Search never finds the invoice I need.", "Our account manager is friendly and helpful.", "Sync fails when the network drops.",
        "Exports to spreadsheets work well.", "Too many emails about features we do not use.", "The mobile app crashes on older phones.",
    ];

    private static readonly string[] French =
    [
        "L'application est lente le matin.", "Le support met des jours à répondre.", "J'adore la simplicité des rapports.",
        "L'installation était facile et rapide.", "Les prix ont encore augmenté.", "Le tableau de bord est clair.",
        "La recherche ne trouve jamais la facture.", "Notre conseiller est aimable et efficace.",
    ];

    public static (string Comment, string LanguageCode) Next(Random random)
    {
        var (pool, language) = random.Next(5) == 0 ? (French, "fr") : (English, "en");
        var text = new System.Text.StringBuilder(Workload.CommentLength + 60);
        while (text.Length < Workload.CommentLength - 20)
        {
            text.Append(text.Length == 0 ? string.Empty : " ").Append(pool[random.Next(pool.Length)]);
        }

        return (text.ToString(), language);
    }
}

/// <summary>Zipf-distributed ranks 0..n-1 (rank 0 the most popular) by inverting the cumulative weights.</summary>
internal sealed class Zipf
{
    private readonly double[] _cumulative;

    public Zipf(int n, double exponent)
    {
        _cumulative = new double[n];
        var sum = 0.0;
        for (var rank = 0; rank < n; rank++)
        {
            sum += 1 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = sum;
        }

        for (var rank = 0; rank < n; rank++)
        {
            _cumulative[rank] /= sum;
        }
    }

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
