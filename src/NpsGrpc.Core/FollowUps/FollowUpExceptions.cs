namespace NpsGrpc.Core.FollowUps;

/// <summary>The group exists on the product with other settings than the call asks for: they belong to the group.</summary>
public sealed class FollowUpGroupMismatchException(string group, string productId, FollowUpGroupSettings existing, FollowUpGroupSettings asked)
    : Exception($"Follow-up group '{group}' exists on product '{productId}' with {existing}; the call asks for {asked}. A group's filter and visibility timeout are set when it is created.")
{
    public string Group { get; } = group;

    public string ProductId { get; } = productId;
}

/// <summary>The group was never created on the product (no StreamFollowUps call named both).</summary>
public sealed class FollowUpGroupNotFoundException(string group, string productId)
    : Exception($"Follow-up group '{group}' was never created on product '{productId}'; a StreamFollowUps call naming both creates it.")
{
    public string Group { get; } = group;

    public string ProductId { get; } = productId;
}
