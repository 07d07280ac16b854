using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using NpsGrpc.Core.Text;

namespace NpsGrpc.Text;

/// <summary>
/// <see cref="ICommentAnalyzer"/> on Lucene.Net's analyzers, chosen by the primary subtag of the language tag:
/// <c>en</c> and <c>fr</c> by their own rules, anything else language-neutrally.
/// </summary>
/// <remarks>
/// Thread-safe: each Lucene analyzer keeps one token stream per thread (its reuse strategy), and each call takes the
/// calling thread's stream for the length of the call.
/// </remarks>
public sealed class LuceneCommentAnalyzer : ICommentAnalyzer, IDisposable
{
    // The field name only matters to per-field analyzers; one name for all.
    private const string Field = "comment";

    private readonly Analyzer _english = LanguageAnalyzers.English();
    private readonly Analyzer _french = LanguageAnalyzers.French();
    private readonly Analyzer _neutral = LanguageAnalyzers.Neutral();

    /// <inheritdoc />
    public IReadOnlyList<CommentTerm> Analyze(string comment, string languageCode)
    {
        ArgumentNullException.ThrowIfNull(comment);
        ArgumentNullException.ThrowIfNull(languageCode);
        if (comment.Length == 0)
        {
            return [];
        }

        var terms = new List<CommentTerm>();
        using var stream = AnalyzerFor(languageCode).GetTokenStream(Field, comment);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var surface = stream.AddAttribute<ISurfaceForm>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var stemChars = term.Buffer.AsSpan(0, term.Length);
            var surfaceChars = surface.Buffer.AsSpan(0, surface.Length);
            var stem = stemChars.ToString();
            // Most words are their own stem: one string serves both.
            terms.Add(new CommentTerm(stem, stemChars.SequenceEqual(surfaceChars) ? stem : surfaceChars.ToString()));
        }

        stream.End();
        return terms;
    }

    /// <summary>The analyzer for the primary language subtag of <paramref name="languageCode"/> (BCP 47).</summary>
    private Analyzer AnalyzerFor(string languageCode)
    {
        var dash = languageCode.IndexOf('-', StringComparison.Ordinal);
        var primary = dash < 0 ? languageCode.AsSpan() : languageCode.AsSpan(0, dash);
        if (primary.Equals("en", StringComparison.OrdinalIgnoreCase))
        {
            return _english;
        }

        return primary.Equals("fr", StringComparison.OrdinalIgnoreCase) ? _french : _neutral;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _english.Dispose();
        _french.Dispose();
        _neutral.Dispose();
    }
}
