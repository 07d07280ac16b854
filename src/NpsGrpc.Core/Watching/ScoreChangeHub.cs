using NpsGrpc.Core.Storage;

namespace NpsGrpc.Core.Watching;

/// <summary>
/// The watchers of this server instance and the store subscriptions they need: one subscription per watched product,
/// however many watchers and views watch it, taken when its first watcher comes and given back when its last one
/// leaves. A product's notice reaches each of its views once, and each view wakes its watchers (see
/// <see cref="ScoreView"/>). When the feed says notices may have been lost, every view is woken as if notified.
/// </summary>
public sealed class ScoreChangeHub : IDisposable
{
    private readonly IScoreChangeFeed _feed;
    private readonly IScoreStore _store;
    private readonly Dictionary<string, Product> _products = new(StringComparer.Ordinal);

    public ScoreChangeHub(IScoreChangeFeed feed, IScoreStore store)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _feed = feed;
        _store = store;
        _feed.NoticesMayBeLost += Resync;
    }

    /// <summary>Products this instance holds a subscription for (or is taking one for).</summary>
    public int WatchedProducts
    {
        get
        {
            lock (_products)
            {
                return _products.Count;
            }
        }
    }

    /// <summary>
    /// Adds a watcher of <paramref name="spec"/>; returns once its product's notices reach it, so that a score read
    /// after this misses no change. Disposing the result removes the watcher.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached to subscribe.</exception>
    public async Task<ScoreWatch> JoinAsync(WatchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var productId = spec.Query.ProductId;
        Product product;
        lock (_products)
        {
            // Counted before the subscription is taken, so that a watcher leaving meanwhile does not give it back.
            // A product still giving its subscription back is this same entry: the joiner waits for that, then
            // subscribes again.
            if (!_products.TryGetValue(productId, out product!))
            {
                product = new Product(productId);
                _products.Add(productId, product);
            }

            product.Holders++;
        }

        try
        {
            await product.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                product.Subscription ??= await _feed.SubscribeAsync(productId, product.Changed, cancellationToken).ConfigureAwait(false);
                var signal = new ChangeSignal();
                var view = product.Add(spec, signal, _store);
                return new ScoreWatch(this, product, view, signal);
            }
            finally
            {
                product.Gate.Release();
            }
        }
        catch
        {
            await ReleaseAsync(product).ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => _feed.NoticesMayBeLost -= Resync;

    internal async Task LeaveAsync(Product product, ScoreView view, ChangeSignal signal)
    {
        product.Remove(view, signal);
        await ReleaseAsync(product).ConfigureAwait(false);
    }

    /// <summary>One holder of the product fewer; the last one gives the subscription back.</summary>
    private async Task ReleaseAsync(Product product)
    {
        // Not cancellable: a subscription nobody holds must not stay behind.
        await product.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            bool last;
            lock (_products)
            {
                last = --product.Holders == 0;
            }

            if (last && product.Subscription is { } subscription)
            {
                product.Subscription = null;
                await subscription.DisposeAsync().ConfigureAwait(false);
            }

            // The product leaves the hub only once its subscription is given back, and only if nobody came for it
            // meanwhile (they wait for the gate, then subscribe again): so a product never has two subscriptions.
            lock (_products)
            {
                if (product.Holders == 0)
                {
                    _products.Remove(product.Id);
                }
            }
        }
        finally
        {
            product.Gate.Release();
        }
    }

    private void Resync()
    {
        Product[] products;
        lock (_products)
        {
            products = [.. _products.Values];
        }

        foreach (var product in products)
        {
            product.Changed();
        }
    }

    /// <summary>A watched product: its subscription and its views.</summary>
    internal sealed class Product(string id)
    {
        private readonly Dictionary<(string? Segment, int WindowDays), ScoreView> _views = [];
        private ScoreView[] _snapshot = [];

        public string Id { get; } = id;

        /// <summary>Watchers and joiners holding the product; guarded by the hub's dictionary.</summary>
        public int Holders { get; set; }

        /// <summary>Orders taking and giving back the subscription.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IAsyncDisposable? Subscription { get; set; }

        public void Changed()
        {
            foreach (var view in Volatile.Read(ref _snapshot))
            {
                view.Changed();
            }
        }

        public ScoreView Add(WatchSpec spec, ChangeSignal signal, IScoreStore store)
        {
            lock (_views)
            {
                var key = (spec.Query.Segment?.ToString(), spec.WindowDays);
                if (!_views.TryGetValue(key, out var view))
                {
                    view = new ScoreView(spec.Query, spec.WindowDays, store);
                    _views.Add(key, view);
                    _snapshot = [.. _views.Values];
                }

                view.Add(signal);
                return view;
            }
        }

        public void Remove(ScoreView view, ChangeSignal signal)
        {
            lock (_views)
            {
                if (view.Remove(signal) == 0)
                {
                    _views.Remove((view.Query.Segment?.ToString(), view.WindowDays));
                    _snapshot = [.. _views.Values];
                }
            }
        }
    }
}

/// <summary>One watcher in the hub: the view it watches and the signal that wakes it. Disposing it leaves the hub.</summary>
public sealed class ScoreWatch : IAsyncDisposable
{
    private readonly ScoreChangeHub _hub;
    private readonly ScoreChangeHub.Product _product;
    private int _left;

    internal ScoreWatch(ScoreChangeHub hub, ScoreChangeHub.Product product, ScoreView view, ChangeSignal signal)
    {
        _hub = hub;
        _product = product;
        View = view;
        Signal = signal;
    }

    public ScoreView View { get; }

    public ChangeSignal Signal { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            await _hub.LeaveAsync(_product, View, Signal).ConfigureAwait(false);
        }
    }
}
