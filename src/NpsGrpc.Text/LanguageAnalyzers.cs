using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace NpsGrpc.Text;

/// <summary>The analysis chains, one per way of reading: English, French and language-neutral.</summary>
internal static class LanguageAnalyzers
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// English: possessives off ("customer's" → "customer"), lower case, the Snowball English stop words, then KStem
    /// followed by the minimal (plural) stemmer.
    /// </summary>
    /// <remarks>
    /// The Snowball list (pronouns, auxiliaries, "i'm", "don't"…) rather than Lucene's 33-word default, which keeps
    /// "i", "my", "very", "have": function words whose small differences between detractors and promoters would
    /// otherwise crowd the key terms.
    /// Stemming is light, so that words of different meaning stay apart (Porter makes one stem of "responsive" and
    /// "response", "general" and "generous"). KStem (Krovetz) folds inflections and common suffixes into dictionary
    /// words ("crashes" → "crash", "loved" → "love", "slowly" → "slow", "easier" → "easy"), but leaves a plural that is
    /// itself in its dictionary ("features", "days", "minutes"); the minimal stemmer after it folds those plurals.
    /// Stems are only counted, never shown: the surface word before stemming is.
    /// </remarks>
    public static Analyzer English()
    {
        var stopWords = SnowballStopWords("english_stop.txt");
        return Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream chain = new NumberFilter(Version, source);
            chain = new EnglishPossessiveFilter(Version, chain);
            chain = new LowerCaseFilter(Version, chain);
            chain = new StopFilter(Version, chain, stopWords);
            chain = new SurfaceCaptureFilter(chain);
            chain = new KStemFilter(chain);
            chain = new EnglishMinimalStemFilter(chain);
            return new TokenStreamComponents(source, chain);
        });
    }

    /// <summary>
    /// French: elisions off ("l'application" → "application"), lower case, the Snowball French stop words, then
    /// the light French stemmer (Savoy's: plurals, feminines, common suffixes), as Lucene's FrenchAnalyzer reads French.
    /// </summary>
    public static Analyzer French()
    {
        var stopWords = FrenchAnalyzer.DefaultStopSet;
        return Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream chain = new NumberFilter(Version, source);
            chain = new ElisionFilter(chain, FrenchAnalyzer.DEFAULT_ARTICLES);
            chain = new LowerCaseFilter(Version, chain);
            chain = new StopFilter(Version, chain, stopWords);
            chain = new SurfaceCaptureFilter(chain);
            chain = new FrenchLightStemFilter(chain);
            return new TokenStreamComponents(source, chain);
        });
    }

    /// <summary>
    /// Any other language: Unicode word breaking (UAX #29; Han and Hiragana one character a token) and lower case,
    /// nothing that needs to know the language.
    /// </summary>
    public static Analyzer Neutral() => Analyzer.NewAnonymous((_, reader) =>
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream chain = new NumberFilter(Version, source);
        chain = new LowerCaseFilter(Version, chain);
        chain = new SurfaceCaptureFilter(chain);
        return new TokenStreamComponents(source, chain);
    });

    private static CharArraySet SnowballStopWords(string file)
    {
        using var stream = typeof(Lucene.Net.Analysis.Snowball.SnowballFilter).Assembly
            .GetManifestResourceStream("Lucene.Net.Analysis.Common.Analysis.Snowball." + file)
            ?? throw new InvalidOperationException($"Lucene.Net.Analysis.Common has no stop word list {file}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return WordlistLoader.GetSnowballWordSet(reader, Version).AsReadOnly();
    }
}
