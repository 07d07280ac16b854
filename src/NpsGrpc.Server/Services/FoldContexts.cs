using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Text;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Server.Services;

/// <summary>
/// The context each batch is folded with: its receive time and what the configuration says of segments, records,
/// comments and key terms. Without an analyzer registered, comments are recorded but their terms are not counted.
/// </summary>
public sealed class FoldContexts(
    IOptions<IngestionOptions> ingestion,
    IOptions<CommentsOptions> comments,
    DayRetention retention,
    RecordRules records,
    ICommentAnalyzer? analyzer = null)
{
    private readonly int _maxSegmentsPerResponse = ingestion.Value.MaxSegmentsPerResponse;
    private readonly string _defaultLanguage = comments.Value.DefaultLanguage;

    public FoldContext At(DateTimeOffset now) =>
        new(now, retention, _maxSegmentsPerResponse) { Records = records, DefaultLanguage = _defaultLanguage, Analyzer = analyzer };
}
