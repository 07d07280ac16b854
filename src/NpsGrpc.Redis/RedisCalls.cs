using NpsGrpc.Core.Storage;

namespace NpsGrpc.Redis;

/// <summary>How the stores await Redis: "Redis is away or busy" becomes the store's retryable failure, anything else stays itself.</summary>
internal static class RedisCalls
{
    public static async Task Reached(Task call, string what)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw new ScoreStoreUnavailableException($"Redis did not {what}: {e.Message}", e);
        }
    }

    public static async Task<T> Reached<T>(Task<T> call, string what)
    {
        await Reached((Task)call, what).ConfigureAwait(false);
        return await call.ConfigureAwait(false);
    }
}
