using System.Diagnostics;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using StackExchange.Redis;

namespace NpsGrpc.Redis;

/// <summary>What every store does around its round trips: naming an outage as such, and waiting for replicas.</summary>
internal static class RedisCalls
{
    /// <summary>Awaits a Redis call, turning "Redis is away or busy" into the store's retryable failure.</summary>
    public static async Task Reached(Task call, string what)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw Unreached(e, what);
        }
    }

    // One state machine per call, not two: a read's await is on every request's path.
    public static async Task<T> Reached<T>(Task<T> call, string what)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw Unreached(e, what);
        }
    }

    private static ScoreStoreUnavailableException Unreached(Exception e, string what) =>
        new($"Redis did not {what}: {e.Message}", e);

    /// <summary>
    /// Times a script's round trip into <c>nps.store.script.duration</c> under <paramref name="script"/>, from the
    /// command handed to the client library to its reply; the call itself when nothing records it.
    /// </summary>
    public static Task<RedisResult> Timed(this Task<RedisResult> call, NpsMetrics? metrics, string script) =>
        metrics is { ScriptsObserved: true } ? TimedAsync(call, metrics, script, Stopwatch.GetTimestamp()) : call;

    private static async Task<RedisResult> TimedAsync(Task<RedisResult> call, NpsMetrics metrics, string script, long started)
    {
        try
        {
            var result = await call.ConfigureAwait(false);
            metrics.ScriptCompleted(script, Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch (Exception e)
        {
            metrics.ScriptCompleted(script, Stopwatch.GetElapsedTime(started), e);
            throw;
        }
    }

    /// <summary>
    /// With replicas required, a write is answered only once that many replicas of every primary it went to have it
    /// (WAIT), so a failover cannot lose it. WAIT covers every write sent before it on the connection;
    /// <paramref name="keys"/> name one key of each place written (any key of a product's hash tag will do).
    /// </summary>
    public static async Task AwaitReplicasAsync(
        IConnectionMultiplexer redis, IDatabase db, IEnumerable<RedisKey> keys, int replicas, long timeoutMs, string what)
    {
        if (replicas == 0)
        {
            return;
        }

        var primaries = await Reached(Task.WhenAll(keys.Select(key => db.IdentifyEndpointAsync(key))), $"name the primaries of the {what}").ConfigureAwait(false);
        if (primaries.Any(primary => primary is null))
        {
            // Mid-failover no node may be known to serve a slot: the write cannot be confirmed, nor skipped.
            throw new ScoreStoreUnavailableException($"No primary is known for every place the {what} went to; it cannot be confirmed on replicas.");
        }

        var waits = primaries.Distinct()
            .Select(primary => redis.GetServer(primary!).ExecuteAsync("WAIT", replicas, timeoutMs))
            .ToList();
        var confirmed = await Reached(Task.WhenAll(waits), $"confirm the {what} on replicas").ConfigureAwait(false);
        var fewest = confirmed.Min(count => (long)count);
        if (fewest < replicas)
        {
            throw new ScoreStoreUnavailableException(
                $"Only {fewest} of the {replicas} required replica(s) confirmed the {what} within {timeoutMs} ms; it may not survive a failover.");
        }
    }
}

/// <summary>The value of the <c>nps.script</c> attribute for each script the stores send (docs/operations.md lists them).</summary>
internal static class ScriptName
{
    public const string Apply = "apply";
    public const string Read = "read";
    public const string List = "list";
    public const string Erase = "erase";
    public const string FollowUpOpen = "follow_up_open";
    public const string FollowUpPoll = "follow_up_poll";
    public const string FollowUpAcknowledge = "follow_up_ack";
    public const string FollowUpBacklog = "follow_up_backlog";
}
