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
    public static EncodedResponses[] RealisticMix(string productPrefix, int products, int batchSize, int distinctBatches, int seed = 2)
    {
        var random = new Random(seed);
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
