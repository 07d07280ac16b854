using Microsoft.Extensions.DependencyInjection.Extensions;
using NpsGrpc.Core.Text;
using NpsGrpc.Text;

namespace NpsGrpc.Server.Extensions;

public static class TextAnalysisExtensions
{
    /// <summary>
    /// Registers the comment analyzer that key terms count with: one for the process, since Lucene's analyzers are
    /// thread-safe and costly to build (stop word sets, the KStem dictionary).
    /// </summary>
    public static IServiceCollection AddCommentAnalysis(this IServiceCollection services)
    {
        services.TryAddSingleton<ICommentAnalyzer, LuceneCommentAnalyzer>();
        return services;
    }
}
