using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace NpsGrpc.Text;

/// <summary>
/// Records each term, as it stands at this point of the chain, in <see cref="ISurfaceForm"/>: placed just before
/// the stemmer, it keeps the lower-case word a stem was made from.
/// </summary>
internal sealed class SurfaceCaptureFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;
    private readonly ISurfaceForm _surface;

    public SurfaceCaptureFilter(TokenStream input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _surface = AddAttribute<ISurfaceForm>();
    }

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken())
        {
            return false;
        }

        _surface.CopyFrom(_term.Buffer, _term.Length);
        return true;
    }
}
