namespace NpsGrpc.Core.Storage;

/// <summary>
/// The store's change notices: each time a product's tallies change (written by any server instance), the store
/// tells every subscriber of that product. Notices say only "changed": the subscriber reads the score itself.
/// </summary>
public interface IScoreChangeFeed
{
    /// <summary>
    /// Raised when notices may have been lost (the store's connection came back, or the product's place in the store
    /// moved): every subscriber should read its score again, as if notified.
    /// </summary>
    event Action? NoticesMayBeLost;

    /// <summary>
    /// Subscribes to a product's notices and returns once the store delivers them, so a read made after it misses no
    /// change; <paramref name="changed"/> runs on the store's thread and must return at once. Disposing the result
    /// unsubscribes.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<IAsyncDisposable> SubscribeAsync(string productId, Action changed, CancellationToken cancellationToken);
}
