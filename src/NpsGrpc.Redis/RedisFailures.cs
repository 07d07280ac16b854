using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>Tells failures worth retrying (the store is away or busy) from bugs and foreign data.</summary>
internal static class RedisFailures
{
    // Replies a healthy deployment gives while it restarts, fails over (UNBLOCKED: a WAIT cut short because its
    // primary became a replica), migrates slots or cannot persist.
    // "Key has MOVED" is StackExchange.Redis's own error for a second MOVED on a command it already redirected once,
    // which a failover gives while the nodes still disagree on who serves the slot: the command did not run.
    // "ERR WAIT cannot be used with replica instances": a failover made the node a write went to a replica before the
    // WAIT confirming that write reached it, so whether the write survived is unknown and the batch must be sent again.
    private static readonly string[] TransientReplyPrefixes =
        ["LOADING", "READONLY", "CLUSTERDOWN", "MASTERDOWN", "TRYAGAIN", "MISCONF", "NOREPLICAS", "BUSY", "UNBLOCKED", "Key has MOVED",
         "ERR WAIT cannot be used with replica instances"];

    public static bool IsUnavailable(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException or ObjectDisposedException => true,
        RedisServerException server => TransientReplyPrefixes.Any(prefix => server.Message.StartsWith(prefix, StringComparison.Ordinal)),
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        _ => false,
    };
}
