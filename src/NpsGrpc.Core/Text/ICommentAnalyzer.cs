namespace NpsGrpc.Core.Text;

/// <summary>
/// One word of a comment as key terms count it: <see cref="Stem"/> is what is counted (lower case, stemmed by the
/// comment's language), <see cref="Surface"/> the word as written (lower case), so a stem can be shown as people wrote it.
/// </summary>
public readonly record struct CommentTerm(string Stem, string Surface);

/// <summary>
/// Reads a comment into the terms that key terms count: word breaking, lower case, stop words out, light stemming,
/// by the rules of its language (a language-neutral reading for languages without rules of their own). Thread-safe.
/// </summary>
public interface ICommentAnalyzer
{
    /// <summary>The terms of <paramref name="comment"/> in order of appearance, repeats included.</summary>
    /// <param name="languageCode">A BCP 47 tag (already validated), e.g. <c>fr</c> or <c>en-GB</c>.</param>
    IReadOnlyList<CommentTerm> Analyze(string comment, string languageCode);
}
