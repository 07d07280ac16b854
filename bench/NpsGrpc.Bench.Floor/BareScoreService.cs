using Grpc.Core;
using NpsGrpc.Core.Scoring;
using NpsGrpc.V1;
using ScoreCategory = NpsGrpc.Core.Scoring.ScoreCategory;
using StackExchange.Redis;

namespace NpsGrpc.Bench.Floor;

/// <summary>
/// GetScore for all time as one HMGET of the product's tally and the counts it holds (classified by the domain's own
/// rule): the least the call can do.
/// </summary>
internal sealed class BareScoreService(IConnectionMultiplexer redis) : NpsService.NpsServiceBase
{
    private static readonly RedisValue[] Scores = [.. Enumerable.Range(0, 11).Select(score => (RedisValue)score)];

    public override async Task<GetScoreResponse> GetScore(GetScoreRequest request, ServerCallContext context)
    {
        var counts = await redis.GetDatabase().HashGetAsync($"nps:{{{request.ProductId}}}:all", Scores).ConfigureAwait(false);
        var distribution = ScoreDistribution.FromCounts([.. counts.Select(count => (long)count)]);
        var score = new Score
        {
            Promoters = distribution.CountOf(ScoreCategory.Promoter),
            Passives = distribution.CountOf(ScoreCategory.Passive),
            Detractors = distribution.CountOf(ScoreCategory.Detractor),
            Total = distribution.Total,
        };
        score.Distribution.Add(distribution.Counts);
        if (score.Total > 0)
        {
            score.Nps = 100.0 * (score.Promoters - score.Detractors) / score.Total;
        }

        return new GetScoreResponse { Score = score };
    }
}
