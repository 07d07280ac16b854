using NpsGrpc.Core.Text;

namespace NpsGrpc.Text.Tests;

public sealed class LuceneCommentAnalyzerTests : IDisposable
{
    private readonly LuceneCommentAnalyzer _analyzer = new();

    public void Dispose() => _analyzer.Dispose();

    [Fact]
    public void English_inflections_of_a_word_share_one_stem_and_keep_their_surface()
    {
        var terms = _analyzer.Analyze("Apps supported supports loved slowly", "en");

        Assert.Equal(
            [new("app", "apps"), new("support", "supported"), new("support", "supports"), new("love", "loved"), new("slow", "slowly")],
            terms);
    }

    [Fact]
    public void English_stemming_is_light_and_keeps_words_of_different_meaning_apart()
    {
        // Porter makes "respons" of both and "custom" of "customer".
        var terms = _analyzer.Analyze("responsive response customer custom", "en");

        Assert.Equal(4, terms.Select(term => term.Stem).Distinct().Count());
    }

    [Fact]
    public void English_plurals_that_are_dictionary_words_still_fold_into_their_singular()
    {
        var terms = _analyzer.Analyze("features feature days day minutes minute crashes crash", "en");

        Assert.Equal(["feature", "feature", "day", "day", "minute", "minute", "crash", "crash"], terms.Select(term => term.Stem));
    }

    [Fact]
    public void English_stop_words_and_contractions_are_dropped()
    {
        var terms = _analyzer.Analyze("I don't think it's the support that is very slow", "en");

        Assert.Equal(["think", "support", "slow"], terms.Select(term => term.Stem));
    }

    [Theory]
    [InlineData("The customer's support")]
    [InlineData("The customer\u2019s support")]
    public void English_possessives_are_taken_off_before_the_word_is_counted(string comment)
    {
        var terms = _analyzer.Analyze(comment, "en");

        Assert.Equal([new("customer", "customer"), new("support", "support")], terms);
    }

    [Fact]
    public void Words_are_lower_cased_before_they_are_counted_or_shown()
    {
        var terms = _analyzer.Analyze("SLOW Slow slow", "en");

        Assert.All(terms, term => Assert.Equal(new CommentTerm("slow", "slow"), term));
        Assert.Equal(3, terms.Count);
    }

    [Fact]
    public void Numbers_are_dropped_but_words_with_digits_stay()
    {
        var terms = _analyzer.Analyze("3 crashes in 2,000 runs, 4.5 seconds on v2 over 4G", "en");

        Assert.Equal(["crash", "run", "second", "v2", "4g"], terms.Select(term => term.Stem));
    }

    [Fact]
    public void French_feminine_and_plural_forms_share_one_stem_and_keep_their_surface()
    {
        var terms = _analyzer.Analyze("lente lent lentes", "fr");

        Assert.Equal([new("lent", "lente"), new("lent", "lent"), new("lent", "lentes")], terms);
    }

    [Theory]
    [InlineData("L'assistance n'est pas facile")]
    [InlineData("L\u2019assistance n\u2019est pas facile")]
    public void French_elisions_and_stop_words_are_dropped(string comment)
    {
        var terms = _analyzer.Analyze(comment, "fr");

        Assert.Equal(["assistance", "facile"], terms.Select(term => term.Surface));
        Assert.DoesNotContain(terms, term => term.Stem is "est" or "pas" or "l" or "n");
    }

    [Fact]
    public void French_stemming_merges_a_verb_with_its_participle()
    {
        var terms = _analyzer.Analyze("j'adore, adoré", "fr");

        Assert.Equal(2, terms.Count);
        Assert.Equal(terms[0].Stem, terms[1].Stem);
        Assert.Equal(["adore", "adoré"], terms.Select(term => term.Surface));
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("EN")]
    [InlineData("en-Latn-US")]
    public void A_tag_whose_primary_subtag_is_en_is_read_as_English(string languageCode)
    {
        var terms = _analyzer.Analyze("the apps", languageCode);

        Assert.Equal([new("app", "apps")], terms);
    }

    [Theory]
    [InlineData("fr-CA")]
    [InlineData("FR")]
    public void A_tag_whose_primary_subtag_is_fr_is_read_as_French(string languageCode)
    {
        var terms = _analyzer.Analyze("les applications lentes", languageCode);

        Assert.Equal(["applications", "lentes"], terms.Select(term => term.Surface));
        Assert.Equal("lent", terms[1].Stem);
    }

    [Theory]
    [InlineData("de")]
    [InlineData("eng")]
    [InlineData("es-419")]
    public void Other_languages_are_only_broken_into_words_and_lower_cased(string languageCode)
    {
        var terms = _analyzer.Analyze("The Apps 42", languageCode);

        Assert.Equal([new("the", "the"), new("apps", "apps")], terms);
    }

    [Fact]
    public void Accents_and_sharp_s_survive_lower_casing()
    {
        var terms = _analyzer.Analyze("Straße Café Naïve", "de");

        Assert.Equal(["straße", "café", "naïve"], terms.Select(term => term.Stem));
    }

    [Fact]
    public void Han_text_falls_back_to_one_token_per_ideograph()
    {
        var terms = _analyzer.Analyze("应用很慢", "zh");

        Assert.Equal(["应", "用", "很", "慢"], terms.Select(term => term.Stem));
    }

    [Fact]
    public void Katakana_and_Hangul_words_stay_whole()
    {
        Assert.Equal(["テスト"], _analyzer.Analyze("テスト", "ja").Select(term => term.Stem));
        Assert.Equal(["앱이", "느려요"], _analyzer.Analyze("앱이 느려요", "ko").Select(term => term.Stem));
    }

    [Fact]
    public void Han_inside_an_English_comment_is_broken_the_same_way()
    {
        var terms = _analyzer.Analyze("apps 很慢", "en");

        Assert.Equal(["app", "很", "慢"], terms.Select(term => term.Stem));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("!!! ... 123")]
    [InlineData("the and of")]
    public void A_comment_without_words_has_no_terms(string comment)
    {
        Assert.Empty(_analyzer.Analyze(comment, "en"));
    }

    [Fact]
    public void Analyses_running_on_many_threads_at_once_each_read_their_own_comment()
    {
        string[] comments = ["slow support", "love it, so easy", "l'assistance est lente", "apps crashed"];
        string[] languages = ["en", "en", "fr", "en"];
        var expected = comments.Select((comment, i) => _analyzer.Analyze(comment, languages[i])).ToArray();

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var which = i % comments.Length;
            Assert.Equal(expected[which], _analyzer.Analyze(comments[which], languages[which]));
        });
    }
}
