using NpsGrpc.Core.Text;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// Splits on spaces and lower-cases; the stem drops a final 's', so one stem has several surface words. A test double
/// of a pure function, for the store's term counting, whose analysis rules are the Lucene analyzer's own tests' job.
/// </summary>
internal sealed class SpaceAnalyzer : ICommentAnalyzer
{
    public IReadOnlyList<CommentTerm> Analyze(string comment, string languageCode) =>
        [.. comment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => new CommentTerm(Stem(word), word.ToLowerInvariant()))];

    public static string Stem(string word) => word.ToLowerInvariant().TrimEnd('s');
}
