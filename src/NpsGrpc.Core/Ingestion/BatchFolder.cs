namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// Validates each response of a batch and folds the valid ones into per-product histograms, so that a
/// thousand responses for one product become a handful of counter increments instead of a thousand writes.
/// </summary>
public static class BatchFolder
{
    public static FoldedBatch Fold(IReadOnlyList<SurveyAnswer> answers, FoldContext context)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(context);
        var products = new Dictionary<string, ProductIncrements>(StringComparer.Ordinal);
        List<Rejection>? rejections = null;
        var accepted = 0;

        for (var index = 0; index < answers.Count; index++)
        {
            var answer = answers[index];
            var rejection = ResponseValidator.Validate(answer, index, context);
            if (rejection is not null)
            {
                (rejections ??= []).Add(rejection);
                continue;
            }

            if (!products.TryGetValue(answer.ProductId, out var increments))
            {
                increments = new ProductIncrements(answer.ProductId);
                products.Add(answer.ProductId, increments);
            }

            increments.Add(answer, answer.Score!.Value, answer.AnsweredAt ?? context.Now, context);
            accepted++;
        }

        return new FoldedBatch([.. products.Values], rejections ?? (IReadOnlyList<Rejection>)[], accepted);
    }
}
