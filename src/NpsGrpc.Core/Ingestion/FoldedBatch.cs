namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// A validated batch, folded into per-product increments: what the store must apply and what the ack must report.
/// <see cref="Outcomes"/> has one entry per response; the answers of respondents are Counted until the store says
/// whether they replaced an earlier answer or were superseded by a later one. <see cref="ProductOf"/> gives, per
/// response, the position of its product in <see cref="Products"/> (−1 for a rejected response), so what the store
/// says of a product can be told of each of its responses.
/// </summary>
public sealed record FoldedBatch(
    IReadOnlyList<ProductIncrements> Products,
    IReadOnlyList<Rejection> Rejections,
    int AcceptedCount,
    ResponseOutcome[] Outcomes,
    int[] ProductOf);
