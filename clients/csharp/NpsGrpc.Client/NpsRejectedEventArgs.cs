using NpsGrpc.V1;

namespace NpsGrpc.Client;

/// <summary>One response the server rejected: it was not counted, the rest of its batch was.</summary>
public sealed class NpsRejectedEventArgs(SurveyResponse response, long sequence, RejectedResponse rejection) : EventArgs
{
    /// <summary>The rejected response, as it was added.</summary>
    public SurveyResponse Response { get; } = response;

    /// <summary>The sequence of the batch that carried it.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Zero-based position of the response in its batch.</summary>
    public int Index { get; } = rejection.Index;

    /// <summary>Path of the offending field, relative to the batch request, e.g. <c>responses[3].score</c>.</summary>
    public string Field { get; } = rejection.Field;

    /// <summary>Human-readable explanation.</summary>
    public string Description { get; } = rejection.Description;

    /// <summary>Machine-readable reason.</summary>
    public RejectionReason Reason { get; } = rejection.Reason;
}
