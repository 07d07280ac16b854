using Grpc.Core;
using NpsGrpc.V1;
using StackExchange.Redis;

namespace NpsGrpc.Bench.Floor;

/// <summary>GetScore for all time as one HMGET of the product's tally and the counts it holds: the least the call can do.</summary>
internal sealed class BareScoreService(IConnectionMultiplexer redis) : NpsService.NpsServiceBase
{
    private static readonly RedisValue[] Scores = [.. Enumerable.Range(0, 11).Select(score => (RedisValue)score)];

    public override async Task<GetScoreResponse> GetScore(GetScoreRequest request, ServerCallContext context)
    {
        var counts = await redis.GetDatabase().HashGetAsync($"nps:{{{request.ProductId}}}:all", Scores).ConfigureAwait(false);
        var score = new Score();
        foreach (var (count, value) in counts.Select((count, value) => ((long)count, value)))
        {
            score.Distribution.Add(count);
            score.Total += count;
            if (value >= 9)
            {
                score.Promoters += count;
            }
            else if (value <= 6)
            {
                score.Detractors += count;
            }
        }

        score.Passives = score.Total - score.Promoters - score.Detractors;
        if (score.Total > 0)
        {
            score.Nps = 100.0 * (score.Promoters - score.Detractors) / score.Total;
        }

        return new GetScoreResponse { Score = score };
    }
}
