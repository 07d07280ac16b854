using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// Writers that all answer for the same few respondents of one product, every answer at its own second on a day that
/// jumps around the boundary of the previous UTC month, with a region that changes too: any two answers of a
/// respondent move different day, month and segment tallies. Knows which answer of each respondent is the latest.
/// </summary>
internal sealed class RacingRespondents
{
    private static readonly string[] Regions = ["eu", "us", "apac", "latam"];
    private readonly Dictionary<int, (DateTimeOffset At, int Score, string Region)> _latest = [];
    private readonly string _product;
    private readonly DateTimeOffset _lastMonth;

    public RacingRespondents(string product, int writers = 8, int batches = 20, int respondents = 6)
    {
        _product = product;
        var today = DateTime.UtcNow;
        _lastMonth = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        // Ten retained days, the last five in the previous month.
        var start = _lastMonth.AddDays(-5).AddHours(12);
        Respondents = respondents;
        Batches = [.. Enumerable.Range(0, writers).Select(writer => (IReadOnlyList<SubmitResponsesRequest>)[.. Enumerable.Range(1, batches).Select(sequence =>
            Responses.Batch(
                [.. Enumerable.Range(0, respondents).Select(respondent =>
                {
                    var at = start.AddDays(((sequence * 3) + writer + respondent) % 10).AddSeconds((sequence * writers) + writer);
                    var (score, region) = ((sequence + writer + respondent) % 11, Regions[(sequence + (2 * writer) + respondent) % 4]);
                    if (!_latest.TryGetValue(respondent, out var current) || at > current.At)
                    {
                        _latest[respondent] = (at, score, region);
                    }

                    return Responses.Answer(product, score, ("region", region)).By($"shared-{respondent}").AnsweredAt(at.ToString("O"));
                })],
                $"racing-{writer}",
                sequence))])];
    }

    public int Respondents { get; }

    /// <summary>Each writer's batches, in sequence order.</summary>
    public IReadOnlyList<IReadOnlyList<SubmitResponsesRequest>> Batches { get; }

    /// <summary>
    /// Asserts that the product counts exactly each respondent's latest answer: in the all-time histogram, in each
    /// region, and in the days before the month boundary and the month after it, for the product and each region.
    /// </summary>
    public async Task AssertOnlyTheLatestAnswersCountAsync(NpsService.NpsServiceClient client)
    {
        var expected = new long[11];
        foreach (var (_, score, _) in _latest.Values)
        {
            expected[score]++;
        }

        Assert.Equal(expected, (await ScoreAsync(client, string.Empty, null)).Distribution.ToArray());
        foreach (var region in Regions)
        {
            Assert.Equal(_latest.Values.Count(answer => answer.Region == region), (await ScoreAsync(client, $"region={region}", null)).Total);
        }

        // The five days before the month boundary are read from day tallies, the month after it from its month tally.
        var windows = new[] { (_lastMonth.AddDays(-5), _lastMonth), (_lastMonth, _lastMonth.AddMonths(1)) };
        foreach (var window in windows)
        {
            var inWindow = _latest.Values.Where(answer => answer.At >= window.Item1 && answer.At < window.Item2).ToList();
            Assert.Equal(inWindow.Count, (await ScoreAsync(client, string.Empty, window)).Total);
            foreach (var region in Regions)
            {
                Assert.Equal(inWindow.Count(answer => answer.Region == region), (await ScoreAsync(client, $"region={region}", window)).Total);
            }
        }

        Assert.Equal(Respondents, windows.Sum(window => _latest.Values.Count(answer => answer.At >= window.Item1 && answer.At < window.Item2)));
    }

    private async Task<Score> ScoreAsync(NpsService.NpsServiceClient client, string segment, (DateTimeOffset Start, DateTimeOffset End)? window)
    {
        var request = new GetScoreRequest { ProductId = _product, Segment = segment };
        if (window is { } w)
        {
            request.StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(w.Start);
            request.EndTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(w.End);
        }

        return (await client.GetScoreAsync(request)).Score;
    }
}
