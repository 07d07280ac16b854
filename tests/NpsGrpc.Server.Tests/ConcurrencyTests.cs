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
        var expected = new ExpectedTallies();
        var random = new Random(20261123);
        var work = Enumerable.Range(0, Writers)
            .Select(writer => Workload.Batches(random, $"concurrent-{writer}-{products[0]}", products, ResponsesPerWriter / BatchSize, BatchSize, expected))
            .ToList();

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

        Assert.Empty(await expected.MismatchesAsync(fixture.Client));
        Assert.Equal(Writers * ResponsesPerWriter, expected.Total);
    }
}
