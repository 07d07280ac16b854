using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A workload whose exact tallies are known: each batch has anonymous answers and answers of a few returning
/// respondents (a later answer replaces the earlier one), over two segment labels.
/// </summary>
internal sealed class RespondentWorkload(string product)
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly long[] _anonymous = new long[11];
    private readonly Dictionary<string, (DateTimeOffset AnsweredAt, int Score)> _latestByRespondent = [];

    public string Product => product;

    /// <summary>Anonymous answers of 0 to 6 sent: each must be recorded exactly once.</summary>
    public int AnonymousDetractors { get; private set; }

    /// <summary>Each respondent's latest answer: the one that counts, recorded when it is a detractor's.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset AnsweredAt, int Score)> LatestAnswers => _latestByRespondent;

    /// <summary>The responses of batch <paramref name="batch"/> (1-based); call once per batch, in order.</summary>
    public IReadOnlyList<SurveyResponse> Batch(int batch, int anonymous = 50, int respondents = 3)
    {
        var responses = new List<SurveyResponse>();
        for (var i = 0; i < anonymous; i++)
        {
            var score = (batch * 7 + i) % 11;
            _anonymous[score]++;
            AnonymousDetractors += score <= 6 ? 1 : 0;
            responses.Add(Responses.Answer(product, score, ("region", i % 2 == 0 ? "eu" : "us"), ("plan", "pro")));
        }

        for (var r = 0; r < respondents; r++)
        {
            var respondent = $"respondent-{r}";
            var score = (batch + r) % 11;
            // Days cycle, so replacements move answers between day tallies, and some answers arrive late (superseded).
            var answeredAt = Start.AddDays(batch % 20).AddSeconds(batch);
            if (!_latestByRespondent.TryGetValue(respondent, out var latest) || answeredAt >= latest.AnsweredAt)
            {
                _latestByRespondent[respondent] = (answeredAt, score);
            }

            var response = Responses.Answer(product, score, ("region", "eu")).By(respondent);
            response.AnsweredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(answeredAt);
            responses.Add(response);
        }

        return responses;
    }

    /// <summary>The 0–10 histogram the product must show.</summary>
    public long[] Histogram()
    {
        var counts = (long[])_anonymous.Clone();
        foreach (var (_, score) in _latestByRespondent.Values)
        {
            counts[score]++;
        }

        return counts;
    }

    public static long[] HistogramOf(Score score) => [.. score.Distribution];
}
