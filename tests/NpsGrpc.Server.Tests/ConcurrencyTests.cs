using NpsGrpc.V1;
using NpsGrpc.Server.Tests.Support;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class ConcurrencyTests(ScoringServerFixture fixture)
{
    private const int Writers = 8;
    private const int ResponsesPerWriter = 10_000;
    private const int BatchSize = 400;

    [Fact]
    public async Task Eight_concurrent_writers_of_ten_thousand_responses_each_leave_tallies_exactly_equal_to_a_local_count()
    {
        var products = Enumerable.Range(0, 40).Select(i => UniqueProduct($"busy{i}")).ToArray();
        string[] regions = ["eu", "us", "apac"];
        string[] plans = ["free", "pro", "team"];
        var expected = new Dictionary<(string Product, string Segment), long[]>();

        var work = new List<List<SubmitResponsesRequest>>();
        var random = new Random(20261123);
        for (var writer = 0; writer < Writers; writer++)
        {
            var batches = new List<SubmitResponsesRequest>();
            for (var sequence = 1; sequence <= ResponsesPerWriter / BatchSize; sequence++)
            {
                var batch = Batch([], $"concurrent-{writer}-{products[0]}", sequence);
                for (var i = 0; i < BatchSize; i++)
                {
                    var product = products[random.Next(products.Length)];
                    var score = random.Next(11);
                    var labels = new List<(string, string)>();
                    if (random.Next(3) > 0)
                    {
                        labels.Add(("region", regions[random.Next(regions.Length)]));
                    }

                    if (random.Next(2) > 0)
                    {
                        labels.Add(("plan", plans[random.Next(plans.Length)]));
                    }

                    batch.Responses.Add(Answer(product, score, [.. labels]));
                    Count(expected, product, string.Empty, score);
                    foreach (var (key, value) in labels)
                    {
                        Count(expected, product, $"{key}={value}", score);
                    }
                }

                batches.Add(batch);
            }

            work.Add(batches);
        }

        // Each writer also re-sends every fifth batch on a second stream, as a client would after a lost ack.
        await Task.WhenAll(work.Select(async batches =>
        {
            using var stream = new SubmissionStream(fixture.Client);
            foreach (var batch in batches)
            {
                Assert.Equal(BatchSize, (await stream.SubmitAsync(batch)).AcceptedCount);
                if (batch.Sequence % 5 == 0)
                {
                    Assert.True((await SubmissionStream.SubmitAllAsync(fixture.Client, batch))[0].Duplicate);
                }
            }

            await stream.CompleteAsync();
        }));

        var mismatches = new List<string>();
        foreach (var ((product, segment), counts) in expected)
        {
            var score = (await fixture.Client.GetScoreAsync(new GetScoreRequest { ProductId = product, Segment = segment })).Score;
            if (!score.Distribution.SequenceEqual(counts))
            {
                mismatches.Add($"{product} {segment}: expected [{string.Join(',', counts)}], got [{string.Join(',', score.Distribution)}]");
            }
        }

        Assert.Empty(mismatches);
        Assert.Equal(Writers * ResponsesPerWriter, expected.Where(pair => pair.Key.Segment.Length == 0).Sum(pair => pair.Value.Sum()));
    }

    private static void Count(Dictionary<(string, string), long[]> expected, string product, string segment, int score)
    {
        if (!expected.TryGetValue((product, segment), out var counts))
        {
            counts = new long[11];
            expected.Add((product, segment), counts);
        }

        counts[score]++;
    }
}
