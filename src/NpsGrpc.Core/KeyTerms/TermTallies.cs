using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.KeyTerms;

/// <summary>
/// The term counts of a product over some months, summed: per category, each stem's count, the number of comments
/// and of terms; and how often each stem was written as each surface word.
/// </summary>
public sealed class TermTallies
{
    private readonly CategoryTerms[] _categories = [new(), new(), new()];
    private readonly Dictionary<string, Dictionary<string, long>> _surfaces = new(StringComparer.Ordinal);

    public CategoryTerms this[ScoreCategory category] => _categories[(int)category];

    /// <summary>Stems in any category, each once.</summary>
    public IEnumerable<string> Stems => _categories.SelectMany(category => category.Counts.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="count"/> writings of <paramref name="stem"/> as <paramref name="surface"/>.</summary>
    public void AddSurface(string stem, string surface, long count)
    {
        if (!_surfaces.TryGetValue(stem, out var forms))
        {
            _surfaces[stem] = forms = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        forms[surface] = forms.GetValueOrDefault(surface) + count;
    }

    /// <summary>
    /// The word to show for <paramref name="stem"/>: its most frequent surface (the ordinally first of equally frequent
    /// ones, so the answer is stable), or the stem itself when no surface was kept.
    /// </summary>
    public string ReadableForm(string stem)
    {
        if (!_surfaces.TryGetValue(stem, out var forms))
        {
            return stem;
        }

        var best = stem;
        var bestCount = 0L;
        foreach (var (surface, count) in forms)
        {
            if (count > bestCount || (count == bestCount && string.CompareOrdinal(surface, best) < 0))
            {
                (best, bestCount) = (surface, count);
            }
        }

        return best;
    }
}

/// <summary>One category's side of <see cref="TermTallies"/>.</summary>
public sealed class CategoryTerms
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Comments counted.</summary>
    public long Comments { get; private set; }

    /// <summary>Terms counted, as the store keeps them beside the stems (<c>#terms</c>).</summary>
    public long Terms { get; private set; }

    /// <summary>
    /// All terms: the stored count, or the sum of the stems' counts where that is larger, so that no term's count can
    /// exceed its category's total (the formula's odds would turn negative).
    /// </summary>
    public long TotalTerms => Math.Max(Terms, _counts.Values.Sum());

    public long this[string stem] => _counts.GetValueOrDefault(stem);

    public void Add(string stem, long count) => _counts[stem] = _counts.GetValueOrDefault(stem) + count;

    public void AddComments(long count) => Comments += count;

    public void AddTerms(long count) => Terms += count;
}
