using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace NpsGrpc.Text;

/// <summary>
/// Drops the tokens the word breaker typed as numbers ("3", "2,000", "4.5"): a count or a price says nothing of why a
/// customer scored as they did. Words with digits in them ("v2", "4g") stay.
/// </summary>
internal sealed class NumberFilter : FilteringTokenFilter
{
    private static readonly string NumberType = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.NUM];
    private readonly ITypeAttribute _type;

    public NumberFilter(LuceneVersion version, TokenStream input) : base(version, input)
    {
        _type = AddAttribute<ITypeAttribute>();
    }

    protected override bool Accept() => !string.Equals(_type.Type, NumberType, StringComparison.Ordinal);
}
