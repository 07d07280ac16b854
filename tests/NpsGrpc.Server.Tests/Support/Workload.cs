using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Random valid survey traffic: scores 0–10 over a few products, most answers with a region or plan label.</summary>
internal static class Workload
{
    private static readonly string[] Regions = ["eu", "us", "apac"];
    private static readonly string[] Plans = ["free", "pro", "team"];

    /// <summary>One random response for one of <paramref name="products"/>.</summary>
    public static SurveyResponse Response(Random random, IReadOnlyList<string> products)
    {
        var labels = new List<(string, string)>();
        if (random.Next(3) > 0)
        {
            labels.Add(("region", Regions[random.Next(Regions.Length)]));
        }

        if (random.Next(2) > 0)
        {
            labels.Add(("plan", Plans[random.Next(Plans.Length)]));
        }

        return Answer(products[random.Next(products.Count)], random.Next(11), [.. labels]);
    }

    /// <summary>
    /// <paramref name="count"/> batches of <paramref name="size"/> random responses for <paramref name="writerId"/>,
    /// numbered from <paramref name="firstSequence"/>, each counted into <paramref name="expected"/>.
    /// </summary>
    public static List<SubmitResponsesRequest> Batches(
        Random random, string writerId, IReadOnlyList<string> products, int count, int size, ExpectedTallies expected, long firstSequence = 1)
    {
        var batches = new List<SubmitResponsesRequest>(count);
        for (var i = 0; i < count; i++)
        {
            var batch = Batch([], writerId, firstSequence + i);
            for (var r = 0; r < size; r++)
            {
                batch.Responses.Add(Response(random, products));
            }

            expected.Add([batch]);
            batches.Add(batch);
        }

        return batches;
    }
}
