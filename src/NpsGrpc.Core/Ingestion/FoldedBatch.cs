namespace NpsGrpc.Core.Ingestion;

/// <summary>A validated batch, folded into per-product increments: what the store must apply and what the ack must report.</summary>
public sealed record FoldedBatch(IReadOnlyList<ProductIncrements> Products, IReadOnlyList<Rejection> Rejections, int AcceptedCount);
