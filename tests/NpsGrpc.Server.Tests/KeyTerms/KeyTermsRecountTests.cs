using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Text;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.KeyTerms;

/// <summary>
/// Comments in English and French go in through SubmitResponses; GetKeyTerms must answer what a recount of the same
/// comments in the test gives: each term's counts, z and readable form, and on a corpus whose answer is known, which
/// words lean to which side.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class KeyTermsRecountTests(ScoringServerFixture fixture) : IDisposable
{
    private static readonly string[] DetractorComments =
    [
        "The app is slow and support never answers",
        "Slow, slow, slow. Support took days",
        "Support was useless and the app crashed",
        "Too slow to load my reports",
        "Waited a week for support",
        "Slowly getting worse; the support team ignores tickets",
    ];

    private static readonly string[] DetractorCommentsFr =
    [
        "L'application est lente et l'assistance ne répond pas",
        "Très lent, l'assistance est injoignable",
        "Lente à charger, assistance absente",
        "Toujours lent, et l'assistance me renvoie vers la FAQ",
        "Assistance lente, application lente",
    ];

    private static readonly string[] PassiveComments = ["The app is fine but slow sometimes", "Easy enough, support is ok", "Correct, sans plus"];

    private static readonly string[] PromoterComments =
    [
        "I love this app, so easy to use",
        "Easy setup and I love the reports",
        "Love it! Easy and quick",
        "Loved the easy onboarding",
        "Everything is easy, love the app",
    ];

    private static readonly string[] PromoterCommentsFr =
    [
        "J'adore l'application, très facile",
        "Facile à utiliser, j'adore",
        "Facile et rapide, on adore",
    ];

    private readonly LuceneCommentAnalyzer _analyzer = new();

    public void Dispose() => _analyzer.Dispose();

    [Fact]
    public async Task Key_terms_match_a_recount_of_the_raw_comments_in_both_languages()
    {
        var product = UniqueProduct("recount");
        var corpus = Corpus(product);
        await SubmissionStream.SubmitAllAsync(fixture.Client, [.. corpus.Chunk(50).Select((chunk, i) => Batch(chunk, "recount-writer", i + 1))]);

        // Loose criteria, so the comparison covers nearly every term of the corpus, not just the strongest.
        var request = new GetKeyTermsRequest { ProductId = product, MinZ = 1e-6, MinCount = 1, MaxTerms = 100 };
        var response = await fixture.Client.GetKeyTermsAsync(request);
        var expected = Recount(corpus, request.MinZ, request.MinCount, request.MaxTerms);

        AssertSameTerms(expected.Detractors, response.DetractorTerms);
        AssertSameTerms(expected.Promoters, response.PromoterTerms);
        Assert.Equal(expected.Comments, (response.DetractorCommentCount, response.PassiveCommentCount, response.PromoterCommentCount));
        Assert.True(expected.Detractors.Count + expected.Promoters.Count >= 10, "the comparison covers too few terms to mean much");
    }

    [Fact]
    public async Task Complaints_lean_to_detractors_and_praise_to_promoters_in_English_and_French()
    {
        var product = UniqueProduct("known-answer");
        var corpus = Corpus(product);
        await SubmissionStream.SubmitAllAsync(fixture.Client, [.. corpus.Chunk(50).Select((chunk, i) => Batch(chunk, "known-answer-writer", i + 1))]);

        var response = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product });
        var expected = Recount(corpus, 1.96, 3, 20);

        AssertSameTerms(expected.Detractors, response.DetractorTerms);
        AssertSameTerms(expected.Promoters, response.PromoterTerms);
        // The complaints and the praise of both languages, and nothing else: no stop word, no word both sides use.
        Assert.Equal(["assistance", "lente", "slow", "support"], response.DetractorTerms.Select(term => term.Term).Order(StringComparer.Ordinal));
        Assert.Equal(["adore", "easy", "facile", "love"], response.PromoterTerms.Select(term => term.Term).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Re_sent_batches_count_their_words_once_and_a_replaced_answer_takes_its_words_back()
    {
        var product = UniqueProduct("recount-replaced");
        var now = DateTime.UtcNow;
        var corpus = Corpus(product);
        // Twenty respondents complain first, then answer again, happier: only their later answer's words may count.
        var first = Enumerable.Range(0, 20).Select(i => Commented(product, 2, "Slow support, slow app", "en", $"r{i}", now.AddMinutes(-30))).ToList();
        var later = Enumerable.Range(0, 20).Select(i => Commented(product, 10, "Now I love it, easy", "en", $"r{i}", now.AddMinutes(-10))).ToList();
        var batches = corpus.Concat(first).Chunk(50).Select((chunk, i) => Batch(chunk, "replacing-writer", i + 1)).ToList();

        await SubmissionStream.SubmitAllAsync(fixture.Client, [.. batches]);
        var resent = await SubmissionStream.SubmitAllAsync(fixture.Client, [.. batches]);
        await SubmissionStream.SubmitAllAsync(fixture.Client, Batch(later, "replacing-writer", batches.Count + 1));

        Assert.All(resent, ack => Assert.True(ack.Duplicate));
        var request = new GetKeyTermsRequest { ProductId = product, MinZ = 1e-6, MinCount = 1, MaxTerms = 100 };
        var response = await fixture.Client.GetKeyTermsAsync(request);
        var expected = Recount(corpus.Concat(later), request.MinZ, request.MinCount, request.MaxTerms);
        AssertSameTerms(expected.Detractors, response.DetractorTerms);
        AssertSameTerms(expected.Promoters, response.PromoterTerms);
        Assert.Equal(expected.Comments, (response.DetractorCommentCount, response.PassiveCommentCount, response.PromoterCommentCount));
    }

    private static SurveyResponse Commented(string product, int score, string comment, string language, string respondent, DateTime answeredAt)
    {
        var answer = Answer(product, score).By(respondent);
        answer.Comment = comment;
        answer.LanguageCode = language;
        answer.AnsweredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(answeredAt);
        return answer;
    }

    /// <summary>
    /// Each comment several times over, with a score of its category, its language given ("fr", "en-GB") or left to
    /// the server's default for English; some answers without a comment, which count for nothing here.
    /// </summary>
    private static List<SurveyResponse> Corpus(string product)
    {
        var random = new Random(13);
        var responses = new List<SurveyResponse>();
        void Add(string[] comments, int[] scores, string language, int times)
        {
            for (var t = 0; t < times; t++)
            {
                foreach (var comment in comments)
                {
                    var answer = Answer(product, scores[random.Next(scores.Length)]);
                    answer.Comment = comment;
                    answer.LanguageCode = language.Length > 0 || random.Next(2) == 0 ? language : "en-GB";
                    responses.Add(answer);
                }
            }
        }

        Add(DetractorComments, [0, 3, 5, 6], string.Empty, 6);
        Add(DetractorCommentsFr, [1, 4, 6], "fr", 5);
        Add(PassiveComments, [7, 8], "en", 3);
        Add(PromoterComments, [9, 10], string.Empty, 8);
        Add(PromoterCommentsFr, [9, 10], "fr-FR", 8);
        responses.AddRange(Enumerable.Range(0, 20).Select(i => Answer(product, i % 11)));
        return [.. responses.OrderBy(_ => random.Next())];
    }

    /// <summary>
    /// The key terms recounted from the raw comments: analysed here, counted per category, and the contract's z and
    /// selection applied with the test's own arithmetic (<see cref="GetKeyTermsTests.Z"/>).
    /// </summary>
    private (List<(string Term, long yD, long yN, long yP, double Z)> Detractors, List<(string Term, long yD, long yN, long yP, double Z)> Promoters, (long, long, long) Comments)
        Recount(IEnumerable<SurveyResponse> corpus, double minZ, long minCount, int maxTerms)
    {
        var counts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var surfaces = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var terms = new long[3];
        var comments = new long[3];
        foreach (var response in corpus.Where(response => response.Comment.Length > 0))
        {
            var category = response.Score <= 6 ? 0 : response.Score <= 8 ? 1 : 2;
            comments[category]++;
            foreach (var term in _analyzer.Analyze(response.Comment, response.LanguageCode.Length == 0 ? "en" : response.LanguageCode))
            {
                (counts.TryGetValue(term.Stem, out var c) ? c : counts[term.Stem] = new long[3])[category]++;
                var forms = surfaces.TryGetValue(term.Stem, out var f) ? f : surfaces[term.Stem] = new Dictionary<string, long>(StringComparer.Ordinal);
                forms[term.Surface] = forms.GetValueOrDefault(term.Surface) + 1;
                terms[category]++;
            }
        }

        var all = terms.Sum();
        var scored = counts
            .Where(stem => stem.Value[0] + stem.Value[2] >= minCount)
            .Select(stem =>
            {
                var (yD, yN, yP) = (stem.Value[0], stem.Value[1], stem.Value[2]);
                var readable = surfaces[stem.Key].OrderByDescending(form => form.Value).ThenBy(form => form.Key, StringComparer.Ordinal).First().Key;
                return (Term: readable, yD, yN, yP, Z: GetKeyTermsTests.Z(yD, yP, yD + yN + yP, terms[0], terms[2], all));
            })
            .Where(term => Math.Abs(term.Z) > minZ)
            .ToList();

        List<(string Term, long yD, long yN, long yP, double Z)> Side(IEnumerable<(string Term, long yD, long yN, long yP, double Z)> side) =>
            [.. side.Take(maxTerms)];

        return (
            Side(scored.Where(term => term.Z > 0).OrderByDescending(term => term.Z).ThenByDescending(term => term.yD + term.yP).ThenBy(term => term.Term, StringComparer.Ordinal)),
            Side(scored.Where(term => term.Z < 0).OrderBy(term => term.Z).ThenByDescending(term => term.yD + term.yP).ThenBy(term => term.Term, StringComparer.Ordinal)),
            (comments[0], comments[1], comments[2]));
    }

    /// <summary>The same terms in the same order with the same counts, and z equal to within rounding.</summary>
    private static void AssertSameTerms(List<(string Term, long yD, long yN, long yP, double Z)> expected, Google.Protobuf.Collections.RepeatedField<V1.KeyTerm> actual)
    {
        Assert.Equal(
            expected.Select(term => (term.Term, term.yD, term.yN, term.yP)),
            actual.Select(term => (term.Term, term.DetractorCount, term.PassiveCount, term.PromoterCount)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i].Z - actual[i].ZScore) < 1e-9, $"{expected[i].Term}: z {actual[i].ZScore}, recounted {expected[i].Z}");
        }
    }
}
