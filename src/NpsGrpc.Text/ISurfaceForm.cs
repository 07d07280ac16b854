using Lucene.Net.Util;

namespace NpsGrpc.Text;

/// <summary>
/// The term as it stood before stemming, carried beside the term itself through the rest of the chain, so one pass
/// yields both the stem that is counted and the word that is shown.
/// </summary>
/// <remarks>
/// An attribute in Lucene's sense; Lucene finds its implementation by name (the interface's less the leading I,
/// <see cref="SurfaceForm"/>), the name without the usual Attribute suffix that .NET keeps for custom attributes.
/// </remarks>
internal interface ISurfaceForm : IAttribute
{
    /// <summary>The characters of the surface word; valid up to <see cref="Length"/>.</summary>
    char[] Buffer { get; }

    /// <summary>How many characters of <see cref="Buffer"/> are the word.</summary>
    int Length { get; }

    /// <summary>Sets the word to <paramref name="length"/> characters of <paramref name="source"/>.</summary>
    void CopyFrom(char[] source, int length);
}
