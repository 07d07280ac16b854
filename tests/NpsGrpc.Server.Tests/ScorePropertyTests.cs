using CsCheck;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// For random streams of responses, with and without respondent ids, every score the server returns over any
/// interval and segment equals the score recomputed here from the raw responses.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class ScorePropertyTests(ScoringServerFixture fixture)
{
    private static readonly DateOnly FirstDay = new(2025, 1, 20);
    private static readonly string[] Segments = ["", "region=eu", "region=us", "plan=free", "plan=pro"];

    private static readonly Gen<RawAnswer> AnswerGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10], Gen.Int[0, 59], Gen.Int[0, 23], Gen.Int[-6, 5], Gen.Int[0, 2], Gen.Int[0, 2])
            .Select(t => new RawAnswer(t.Item1, t.Item2, FirstDay.AddDays(t.Item3), t.Item4, t.Item5 < 0 ? null : $"r{t.Item5}", t.Item6, t.Item7));

    private static readonly Gen<Scenario> ScenarioGen =
        Gen.Select(
            AnswerGen.Array[1, 200],
            Gen.Int[1, 60],
            Gen.Select(Gen.Int[0, 65], Gen.Int[1, 70]).Array[1, 6])
        .Select(t => new Scenario(t.Item1, t.Item2, [.. t.Item3.Select(i => (FirstDay.AddDays(i.Item1), FirstDay.AddDays(i.Item1 + i.Item2)))]));

    [Fact]
    public async Task Every_score_over_any_interval_and_segment_equals_a_recount_of_the_raw_responses()
    {
        await ScenarioGen.SampleAsync(CheckAsync, iter: 30, threads: 1);
    }

    private async Task CheckAsync(Scenario scenario)
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        string Product(int p) => $"prop-{run}-{p}";

        var chunks = scenario.Answers.Chunk(scenario.BatchSize).ToArray();
        await SubmissionStream.SubmitAllAsync(
            fixture.Client,
            [.. chunks.Select(chunk => Batch(chunk.Select(answer => answer.ToProto(Product(answer.Product)))))]);

        var model = new Model(chunks);
        var intervals = scenario.Intervals.Select(i => ((DateOnly, DateOnly)?)i).Prepend(null);
        foreach (var product in Enumerable.Range(0, 3))
        {
            foreach (var segment in Segments)
            {
                foreach (var interval in intervals)
                {
                    var expected = model.Distribution(product, segment, interval);
                    var request = new GetScoreRequest { ProductId = Product(product), Segment = segment };
                    if (interval is var (start, end))
                    {
                        request.StartTime = Time.Day(start);
                        request.EndTime = Time.Day(end);
                    }

                    if (expected is null)
                    {
                        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetScoreAsync(request).ResponseAsync);
                        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
                        continue;
                    }

                    var score = (await fixture.Client.GetScoreAsync(request)).Score;
                    Assert.True(
                        expected.SequenceEqual(score.Distribution),
                        $"product {product} segment '{segment}' interval {interval}: expected [{string.Join(',', expected)}], got [{string.Join(',', score.Distribution)}]");
                }
            }
        }
    }

    private sealed record RawAnswer(int Product, int Score, DateOnly Day, int Hour, string? Respondent, int Region, int Plan)
    {
        public DateTimeOffset At => new(Day.ToDateTime(new TimeOnly(Hour, 0)), TimeSpan.Zero);

        public IEnumerable<string> Labels()
        {
            if (Region > 0)
            {
                yield return Region == 1 ? "region=eu" : "region=us";
            }

            if (Plan > 0)
            {
                yield return Plan == 1 ? "plan=free" : "plan=pro";
            }
        }

        public SurveyResponse ToProto(string product)
        {
            var response = Answer(product, Score).AnsweredOn(Day, Hour);
            foreach (var label in Labels())
            {
                var parts = label.Split('=');
                response.Segments[parts[0]] = parts[1];
            }

            if (Respondent is not null)
            {
                response.RespondentId = Respondent;
            }

            return response;
        }
    }

    private sealed record Scenario(RawAnswer[] Answers, int BatchSize, (DateOnly Start, DateOnly End)[] Intervals)
    {
        public override string ToString() => $"{Answers.Length} answers in batches of {BatchSize}, intervals {string.Join(' ', Intervals)}";
    }

    /// <summary>The reference: every anonymous answer counts; of a respondent's answers, the latest (ties: the last sent).</summary>
    private sealed class Model
    {
        private readonly List<RawAnswer> _counted = [];
        private readonly HashSet<(int Product, string Segment)> _everCounted = [];

        public Model(IEnumerable<RawAnswer[]> batches)
        {
            var latest = new Dictionary<(int, string), RawAnswer>();
            foreach (var batch in batches)
            {
                // Within a batch only each respondent's latest answer (ties: the later one) reaches the tallies.
                var batchLatest = new Dictionary<(int, string), RawAnswer>();
                foreach (var answer in batch)
                {
                    if (answer.Respondent is not { } respondent)
                    {
                        Count(answer);
                    }
                    else if (!batchLatest.TryGetValue((answer.Product, respondent), out var kept) || answer.At >= kept.At)
                    {
                        batchLatest[(answer.Product, respondent)] = answer;
                    }
                }

                foreach (var (key, answer) in batchLatest)
                {
                    if (latest.TryGetValue(key, out var kept) && kept.At > answer.At)
                    {
                        continue;
                    }

                    latest[key] = answer;
                    Mark(answer);
                }
            }

            _counted.AddRange(latest.Values);
        }

        private void Count(RawAnswer answer)
        {
            _counted.Add(answer);
            Mark(answer);
        }

        /// <summary>Remembers that the answer's tallies were created: a scope ever counted is never NOT_FOUND again.</summary>
        private void Mark(RawAnswer answer)
        {
            _everCounted.Add((answer.Product, string.Empty));
            foreach (var label in answer.Labels())
            {
                _everCounted.Add((answer.Product, label));
            }
        }

        /// <summary>The expected histogram, or null where the server should say NOT_FOUND.</summary>
        public long[]? Distribution(int product, string segment, (DateOnly Start, DateOnly End)? interval)
        {
            if (!_everCounted.Contains((product, segment)))
            {
                return null;
            }

            var counts = new long[11];
            foreach (var answer in _counted.Where(a => a.Product == product))
            {
                var inSegment = segment.Length == 0 || answer.Labels().Contains(segment);
                var inInterval = interval is not var (start, end) || (answer.Day >= start && answer.Day < end);
                if (inSegment && inInterval)
                {
                    counts[answer.Score]++;
                }
            }

            return counts;
        }
    }
}
