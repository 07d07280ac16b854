namespace NpsGrpc.Core.Ingestion;

/// <summary>The contract's limits on what one request may carry.</summary>
public static class IngestionLimits
{
    public const int MaxResponsesPerBatch = 1000;
    public const int MaxSegmentsPerResponse = 16;
}
