namespace NpsGrpc.Server;

/// <summary>Every log line the server writes, source-generated so that nothing is formatted unless it is logged.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Connected to Redis at {Endpoints}")]
    public static partial void StoreConnected(ILogger logger, string endpoints);

    [LoggerMessage(2, LogLevel.Warning, "Redis at {Endpoints} is not reachable yet; the server reports NOT_SERVING and keeps reconnecting")]
    public static partial void StoreNotYetReachable(ILogger logger, string endpoints);

    [LoggerMessage(3, LogLevel.Debug, "Batch {Sequence} of writer '{WriterId}': {Accepted} accepted, {Rejected} rejected, {Products} products applied, {Duplicates} already applied")]
    public static partial void BatchApplied(ILogger logger, string writerId, long sequence, int accepted, int rejected, int products, int duplicates);

    [LoggerMessage(4, LogLevel.Information, "Batch {Sequence} of writer '{WriterId}' was a duplicate; nothing counted again")]
    public static partial void BatchDuplicate(ILogger logger, string writerId, long sequence);

    /// <summary>A call the client got wrong (malformed, unknown product, no key, too large): theirs to fix, so only at debug.</summary>
    public static void CallRefused(ILogger logger, string method, Grpc.Core.StatusCode status, string? reason, string message)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogCallRefused(logger, method, Services.ErrorStatus.NameOf(status), reason ?? "no reason", message);
        }
    }

    [LoggerMessage(5, LogLevel.Debug, "{Method} refused the call with {Status} ({Reason}): {Message}")]
    private static partial void LogCallRefused(ILogger logger, string method, string status, string reason, string message);

    [LoggerMessage(6, LogLevel.Warning, "{Method} failed because Redis is unavailable")]
    public static partial void StoreUnavailable(ILogger logger, string method, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Ending a SubmitResponses stream for shutdown after {Acked} acknowledged batches")]
    public static partial void StreamEndedForShutdown(ILogger logger, int acked);

    [LoggerMessage(8, LogLevel.Error, "{Method} failed unexpectedly")]
    public static partial void UnexpectedFailure(ILogger logger, string method, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "No API keys are configured (Authentication:ApiKeys): every caller may submit and read. Configure keys before exposing the server beyond this machine")]
    public static partial void RunningWithoutApiKeys(ILogger logger);

    [LoggerMessage(10, LogLevel.Debug, "{Method}: the client ended the call before it completed")]
    public static partial void CallAbandoned(ILogger logger, string method);

    [LoggerMessage(11, LogLevel.Warning, "{Method} failed: {Reason}")]
    public static partial void StoreConflict(ILogger logger, string method, string reason);

    [LoggerMessage(12, LogLevel.Information, "Erased {Records} records of a respondent on {Products} products")]
    public static partial void RespondentErased(ILogger logger, long records, int products);
    [LoggerMessage(40, LogLevel.Information, "Browsers call gRPC-Web (HTTP/1.1) at {Address}; gRPC clients use the other addresses")]
    public static partial void BrowserEndpoint(ILogger logger, string address);

    [LoggerMessage(30, LogLevel.Information, "Ending the StreamFollowUps stream of consumer '{Consumer}' of group '{Group}' for shutdown")]
    public static partial void FollowUpStreamEndedForShutdown(ILogger logger, string group, string consumer);

    [LoggerMessage(31, LogLevel.Debug, "Leased {Count} follow-ups to consumer '{Consumer}' of group '{Group}'")]
    public static partial void FollowUpsLeased(ILogger logger, int count, string group, string consumer);

    [LoggerMessage(32, LogLevel.Debug, "Acknowledgements: {Taken} taken, {Unknown} unknown, {Stale} stale leases")]
    public static partial void FollowUpsAcknowledged(ILogger logger, int taken, int unknown, int stale);

    [LoggerMessage(33, LogLevel.Debug, "No longer sampling the follow-up backlog of group '{Group}' on product '{ProductId}': the group does not exist there")]
    public static partial void BacklogPairForgotten(ILogger logger, string group, string productId);

    [LoggerMessage(34, LogLevel.Warning, "The follow-up backlog was not sampled because Redis is unavailable; its gauges keep their last readings")]
    public static partial void BacklogNotSampled(ILogger logger);

    [LoggerMessage(41, LogLevel.Information, "Ending a WatchScore stream of {Query} for shutdown")]
    public static partial void WatchEndedForShutdown(ILogger logger, string query);

    [LoggerMessage(60, LogLevel.Warning, "Dashboard:Enabled is on, but the dashboard is not built ({Folder} has no index.html): '/' serves nothing. Build it, then the server (bash .ci/serve does both; src/NpsGrpc.Dashboard/README.md says how), or set Dashboard:Enabled=false")]
    public static partial void DashboardNotBuilt(ILogger logger, string folder);
}
