using Microsoft.Extensions.Options;
using NpsGrpc.Core.Storage;
using StackExchange.Redis;
using static NpsGrpc.Redis.RedisCalls;

namespace NpsGrpc.Redis;

/// <summary>
/// Change notices through Redis sharded pub/sub: the apply script publishes on the product's channel
/// (<see cref="RedisKeyLayout.Changes"/>) and this instance subscribes (SSUBSCRIBE) on the shared multiplexer, which
/// sends it to the node that serves the product's slot and subscribes again after a reconnect, a failover or a slot
/// migration.
/// </summary>
/// <remarks>
/// Pub/sub keeps nothing for a subscriber that is away: notices published while the connection is down, or while
/// the subscription moves to a slot's new node, are lost. So whenever the multiplexer reconnects or learns of a new
/// topology, subscribers are told to read again (<see cref="NoticesMayBeLost"/>), and once more
/// <see cref="SettleDelay"/> later: the multiplexer subscribes again only after it reports the connection back, and a
/// change written between the first read and that subscription would otherwise wait for the next one.
/// </remarks>
public sealed class RedisScoreChangeFeed : IScoreChangeFeed, IDisposable
{
    internal static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeyLayout _layout;
    private readonly CancellationTokenSource _disposed = new();
    private int _resyncPending;

    public RedisScoreChangeFeed(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _layout = new RedisKeyLayout(options.Value.KeyPrefix);
        _redis.ConnectionRestored += OnConnectionRestored;
        _redis.ConfigurationChanged += OnConfigurationChanged;
        _redis.HashSlotMoved += OnHashSlotMoved;
    }

    public event Action? NoticesMayBeLost;

    public async Task<IAsyncDisposable> SubscribeAsync(string productId, Action changed, CancellationToken cancellationToken)
    {
        var channel = _layout.Changes(productId);
        var subscriber = _redis.GetSubscriber();
        // One handler per subscription, so that giving it back removes exactly it: another instance of the hub's
        // subscription to the same product (taken while this one is being given back) keeps its own.
        Action<RedisChannel, RedisValue> handler = (_, _) => changed();
        try
        {
            await Reached(subscriber.SubscribeAsync(channel, handler), "subscribe to the product's change notices").ConfigureAwait(false);
        }
        catch
        {
            Forget(subscriber.UnsubscribeAsync(channel, handler));
            throw;
        }

        return new Subscription(subscriber, channel, handler);
    }

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _redis.ConfigurationChanged -= OnConfigurationChanged;
        _redis.HashSlotMoved -= OnHashSlotMoved;
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Resync();

    private void OnConfigurationChanged(object? sender, EndPointEventArgs e) => Resync();

    private void OnHashSlotMoved(object? sender, HashSlotMovedEventArgs e) => Resync();

    private void Resync()
    {
        NoticesMayBeLost?.Invoke();
        // One later resync covers every event until it runs: a slot migration raises one per redirected command.
        if (Interlocked.CompareExchange(ref _resyncPending, 1, 0) == 0)
        {
            _ = ResyncLaterAsync();
        }
    }

    private async Task ResyncLaterAsync()
    {
        try
        {
            await Task.Delay(SettleDelay, _disposed.Token).ConfigureAwait(false);
            Volatile.Write(ref _resyncPending, 0);
            NoticesMayBeLost?.Invoke();
        }
        catch (OperationCanceledException)
        {
            // Shut down meanwhile: nobody is left to tell.
        }
    }

    /// <summary>Observes a call nobody waits for: an unsubscribe that fails leaves nothing behind on a broken connection.</summary>
    private static void Forget(Task call) =>
        _ = call.ContinueWith(failed => _ = failed.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private sealed class Subscription(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, handler).ConfigureAwait(false);
            }
            catch (Exception e) when (RedisFailures.IsUnavailable(e))
            {
                // The connection is down, and the subscription went with it; the handler is gone from the multiplexer,
                // so it is not subscribed again when the connection comes back.
            }
        }
    }
}
