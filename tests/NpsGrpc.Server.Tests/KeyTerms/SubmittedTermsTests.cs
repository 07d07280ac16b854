using System.Globalization;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Text;
using NpsGrpc.V1;
using StackExchange.Redis;
using static NpsGrpc.Server.Tests.Support.Responses;
using ResponseOutcome = NpsGrpc.V1.ResponseOutcome;
using ScoreCategory = NpsGrpc.Core.Scoring.ScoreCategory;

namespace NpsGrpc.Server.Tests.KeyTerms;

/// <summary>
/// Comments submitted through the server, in English and French, counted by the apply script with the server's
/// Lucene analyzer: the term hashes equal a recount of the counted comments done here from their raw text, however
/// the batches were re-sent, and GetKeyTerms finds the words the corpus was built around.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class SubmittedTermsTests(ScoringServerFixture fixture)
{
    private static readonly string[] DetractorsEn =
        ["The app is so slow", "slow support, slow app", "Support never answers and it is slow", "too slow", "support was useless"];

    private static readonly string[] PromotersEn =
        ["I love it, so easy", "easy to use, love the app", "love love love", "really easy", "I love how easy the app is"];

    private static readonly string[] DetractorsFr =
        ["L'application est lente", "le support est lent", "support lent et inutile", "trop lent"];

    private static readonly string[] PromotersFr =
        ["J'adore, très facile", "facile à utiliser", "tellement facile, j'adore"];

    [Fact]
    public async Task Term_hashes_equal_a_recount_of_the_counted_comments_in_both_languages_and_key_terms_name_the_words_of_each_side()
    {
        var product = UniqueProduct("submitted-terms");
        var now = DateTimeOffset.UtcNow.AddSeconds(-10);
        var anonymous = new List<SurveyResponse>();
        for (var i = 0; i < 40; i++)
        {
            anonymous.Add(Answer(product, i % 7).Saying(DetractorsEn[i % DetractorsEn.Length]));
            anonymous.Add(Answer(product, 9 + (i % 2)).Saying(PromotersEn[i % PromotersEn.Length], "en-GB"));
            anonymous.Add(Answer(product, i % 5).Saying(DetractorsFr[i % DetractorsFr.Length], "fr"));
            anonymous.Add(Answer(product, 10).Saying(PromotersFr[i % PromotersFr.Length], "fr-CA"));
            anonymous.Add(Answer(product, 8).Saying("okay app"));
        }

        // Respondents: the first answer is replaced by the second (whose words take the first's out), the late third is
        // superseded (its words never count), and the second is re-sent without a writer (replaced by itself: once).
        var first = Answer(product, 1).By("rob").Saying("slow slow slow").AnsweredAt(Iso(now));
        var second = Answer(product, 10).By("rob").Saying("easy now").AnsweredAt(Iso(now.AddSeconds(2)));
        var late = Answer(product, 0).By("rob").Saying("terrible support").AnsweredAt(Iso(now.AddSeconds(1)));

        var batch = Batch(anonymous, "terms-writer", 1);
        var acks = await SubmissionStream.SubmitAllAsync(fixture.Client, batch, batch);
        await SubmitAsync(first);
        await SubmitAsync(second);
        var lateAck = await SubmitAsync(late);
        var resent = await SubmitAsync(second.Clone());

        Assert.True(acks[1].Duplicate);
        Assert.Equal([ResponseOutcome.Superseded], lateAck.AllOutcomes());
        Assert.Equal([ResponseOutcome.Replaced], resent.AllOutcomes());
        using var analyzer = new LuceneCommentAnalyzer();
        var counted = anonymous.Append(second).ToList();
        var month = now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var db = await fixture.Redis.AdminAsync();
        var (stems, surfaces) = Recount(analyzer, counted);
        foreach (var category in new[] { 'D', 'N', 'P' })
        {
            Assert.Equal(stems.GetValueOrDefault(category) ?? [], await HashAsync(db, $"nps:{{{product}}}:t:{category}:{month}"));
        }

        Assert.Equal(surfaces, await HashAsync(db, $"nps:{{{product}}}:tf:{month}"));

        var terms = await fixture.Client.GetKeyTermsAsync(new GetKeyTermsRequest { ProductId = product });
        var detractorTerms = terms.DetractorTerms.Select(term => term.Term).ToList();
        var promoterTerms = terms.PromoterTerms.Select(term => term.Term).ToList();
        Assert.Contains("slow", detractorTerms);
        Assert.Contains("support", detractorTerms);
        Assert.Contains("lent", detractorTerms);
        Assert.Contains("love", promoterTerms);
        Assert.Contains("easy", promoterTerms);
        Assert.Contains("facile", promoterTerms);
        Assert.DoesNotContain("app", detractorTerms.Concat(promoterTerms));
        Assert.Equal((80L, 40L, 81L), (terms.DetractorCommentCount, terms.PassiveCommentCount, terms.PromoterCommentCount));
    }

    /// <summary>The hashes the counted comments must leave: per category stem → count with #comments and #terms, and the month's surfaces.</summary>
    private static (Dictionary<char, SortedDictionary<string, long>> Stems, SortedDictionary<string, long> Surfaces) Recount(
        LuceneCommentAnalyzer analyzer, IEnumerable<SurveyResponse> counted)
    {
        var stems = new Dictionary<char, SortedDictionary<string, long>>();
        var surfaces = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var response in counted)
        {
            var category = ScoreClassifier.Classify(response.Score) switch
            {
                ScoreCategory.Detractor => 'D',
                ScoreCategory.Passive => 'N',
                _ => 'P',
            };
            var hash = stems.TryGetValue(category, out var found) ? found : stems[category] = new(StringComparer.Ordinal);
            var words = analyzer.Analyze(response.Comment, response.LanguageCode.Length == 0 ? "en" : response.LanguageCode);
            hash["#comments"] = hash.GetValueOrDefault("#comments") + 1;
            hash["#terms"] = hash.GetValueOrDefault("#terms") + words.Count;
            foreach (var word in words)
            {
                hash[word.Stem] = hash.GetValueOrDefault(word.Stem) + 1;
                surfaces[$"{word.Stem} {word.Surface}"] = surfaces.GetValueOrDefault($"{word.Stem} {word.Surface}") + 1;
            }
        }

        return (stems, surfaces);
    }

    private static async Task<SortedDictionary<string, long>> HashAsync(IDatabase db, string key) =>
        new((await db.HashGetAllAsync(key)).ToDictionary(entry => (string)entry.Name!, entry => (long)entry.Value), StringComparer.Ordinal);

    private static string Iso(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);

    private async Task<SubmitResponsesResponse> SubmitAsync(SurveyResponse response) =>
        (await SubmissionStream.SubmitAllAsync(fixture.Client, Batch([response]))).Single();
}
