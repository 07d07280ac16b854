using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// Everything one batch adds to one product: the product-wide histogram and one histogram per segment label.
/// The store applies it atomically, so a product's tallies move by all of it or by none.
/// </summary>
public sealed class ProductIncrements(string productId)
{
    private readonly Dictionary<SegmentLabel, ScoreDistribution> _segments = [];

    public string ProductId { get; } = productId;

    public ScoreDistribution All { get; } = new();

    public IReadOnlyDictionary<SegmentLabel, ScoreDistribution> Segments => _segments;

    public long ResponseCount => All.Total;

    internal void Add(in SurveyAnswer answer, int score)
    {
        All.Add(score);
        foreach (var (key, value) in answer.Segments)
        {
            var label = new SegmentLabel(key, value);
            if (!_segments.TryGetValue(label, out var distribution))
            {
                distribution = new ScoreDistribution();
                _segments.Add(label, distribution);
            }

            distribution.Add(score);
        }
    }
}
