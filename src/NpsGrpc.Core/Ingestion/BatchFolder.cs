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
        var products = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordered = new List<ProductIncrements>();
        List<Rejection>? rejections = null;
        var accepted = 0;
        var outcomes = new ResponseOutcome[answers.Count];
        var productOf = new int[answers.Count];
        var last = -1;

        for (var index = 0; index < answers.Count; index++)
        {
            var answer = answers[index];
            var rejection = ResponseValidator.Validate(answer, index, context, out var comment);
            if (rejection is not null)
            {
                (rejections ??= []).Add(rejection);
                outcomes[index] = ResponseOutcome.Rejected;
                productOf[index] = -1;
                continue;
            }

            // Answers of one product often come together (a hot product): the last one is checked before the lookup.
            if (last < 0 || !string.Equals(ordered[last].ProductId, answer.ProductId, StringComparison.Ordinal))
            {
                if (!products.TryGetValue(answer.ProductId, out last))
                {
                    last = ordered.Count;
                    ordered.Add(new ProductIncrements(answer.ProductId, context));
                    products.Add(answer.ProductId, last);
                }
            }

            var increments = ordered[last];
            productOf[index] = last;

            accepted++;
            outcomes[index] = ResponseOutcome.Counted;
            if (string.IsNullOrEmpty(answer.RespondentId))
            {
                increments.Add(answer, answer.Score!.Value, answer.AnsweredAt ?? context.Now, comment);
            }
            else if (increments.AddRespondent(answer, index, answer.Score!.Value, answer.AnsweredAt ?? context.Now, comment) is { } displaced)
            {
                outcomes[displaced] = ResponseOutcome.Superseded;
            }
        }

        return new FoldedBatch(ordered, rejections ?? (IReadOnlyList<Rejection>)[], accepted, outcomes, productOf);
    }
}
