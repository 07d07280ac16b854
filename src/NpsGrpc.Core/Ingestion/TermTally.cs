using NpsGrpc.Core.Text;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// The key-term counts some comments of one category and month add: how many comments, and for each stem how often it
/// occurs and as which surface words, so a thousand comments become one increment per distinct stem and surface.
/// </summary>
public sealed class TermTally
{
    private readonly Dictionary<string, StemTally> _stems = new(StringComparer.Ordinal);

    public int Comments { get; private set; }

    /// <summary>The terms counted, repeats included: the sum of every stem's count.</summary>
    public long Terms { get; private set; }

    public IReadOnlyDictionary<string, StemTally> Stems => _stems;

    /// <summary>The terms of one comment (repeats included); terms <see cref="IsCountable"/> refuses are left out.</summary>
    public void Add(IReadOnlyList<CommentTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Comments++;
        foreach (var term in terms)
        {
            if (!IsCountable(term))
            {
                continue;
            }

            if (!_stems.TryGetValue(term.Stem, out var stem))
            {
                stem = new StemTally();
                _stems.Add(term.Stem, stem);
            }

            stem.Add(term.Surface);
            Terms++;
        }
    }

    /// <summary>Adds every count of <paramref name="other"/>: what two batches' comments of one category and month add together.</summary>
    public void AddAll(TermTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Comments += other.Comments;
        Terms += other.Terms;
        foreach (var (stem, tally) in other._stems)
        {
            if (!_stems.TryGetValue(stem, out var mine))
            {
                mine = new StemTally();
                _stems.Add(stem, mine);
            }

            mine.AddAll(tally);
        }
    }

    /// <summary>
    /// A term the store can hold: a stem and a surface that are not empty and hold no ASCII whitespace (the store
    /// names a surface <c>"stem surface"</c> and lists a respondent's terms separated by spaces), and a stem that does
    /// not start with '#' (the store's own fields, <c>#comments</c> and <c>#terms</c>, sit beside the stems). Word
    /// breaking never yields such terms; the check keeps an analyzer's slip from corrupting the counts.
    /// </summary>
    public static bool IsCountable(CommentTerm term) =>
        !string.IsNullOrEmpty(term.Stem) && !string.IsNullOrEmpty(term.Surface) && term.Stem[0] != '#'
        && !term.Stem.AsSpan().ContainsAny(AsciiWhitespace) && !term.Surface.AsSpan().ContainsAny(AsciiWhitespace);

    private static readonly System.Buffers.SearchValues<char> AsciiWhitespace = System.Buffers.SearchValues.Create(" \t\n\v\f\r");
}

/// <summary>One stem's count and the surface words it was written as, each with its count.</summary>
public sealed class StemTally
{
    private readonly Dictionary<string, long> _surfaces = new(StringComparer.Ordinal);

    public long Count { get; private set; }

    public IReadOnlyDictionary<string, long> Surfaces => _surfaces;

    internal void Add(string surface)
    {
        Count++;
        _surfaces[surface] = _surfaces.GetValueOrDefault(surface) + 1;
    }

    internal void AddAll(StemTally other)
    {
        Count += other.Count;
        foreach (var (surface, count) in other._surfaces)
        {
            _surfaces[surface] = _surfaces.GetValueOrDefault(surface) + count;
        }
    }
}
