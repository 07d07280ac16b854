using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Storage;

namespace NpsGrpc.Server.FollowUps;

/// <summary>
/// The delivery loop of one StreamFollowUps call: polls every product of the worker, one atomic script each (sent
/// together), and hands what they leased to the stream, until the call is cancelled.
/// </summary>
/// <remarks>
/// <para>
/// It polls rather than waits: XREADGROUP BLOCK would hold a connection of its own per worker, and the store shares
/// one multiplexer whose connection must never block. The pause between polls adapts: none while a product had more
/// waiting than its allowance let through (a backlog drains at the speed of the round trips), <see cref="MinPause"/>
/// after a round that leased something, doubling up to <see cref="MaxPause"/> while nothing is leased. That is the
/// latency cost: a record recorded while the stream is idle reaches the worker up to <see cref="MaxPause"/> later
/// (half of that on average), as does the room an acknowledgement makes for a worker that held all it may; and an
/// idle stream costs each product it names one cheap script every <see cref="MaxPause"/>.
/// </para>
/// <para>
/// Flow control: each poll gets an allowance (<see cref="OutstandingBudget"/>), so the worker never holds more than
/// max_outstanding deliveries over all its products. The next round starts only once the deliveries of the last
/// are written, and a write waits for HTTP/2 flow control: a worker that reads slowly is not leased more meanwhile,
/// so leases do not expire in buffers.
/// </para>
/// <para>
/// The first round only gives the worker back the deliveries it holds (a worker that reconnects gets its own first);
/// it has no allowance, since the counts it learns are what the allowances of later rounds are computed from.
/// </para>
/// </remarks>
public sealed class FollowUpPump(IFollowUpStore store, TimeProvider clock)
{
    internal static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(50);
    internal static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (then throws <see cref="OperationCanceledException"/>)
    /// or the store fails; <paramref name="deliver"/> writes each round's deliveries, oldest first per product.
    /// </summary>
    public async Task RunAsync(
        FollowUpSubscription subscription,
        Func<IReadOnlyList<FollowUpDelivery>, CancellationToken, Task> deliver,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(deliver);
        var products = subscription.ProductIds;
        var pending = new int[products.Count];
        var moreWaiting = new bool[products.Count];
        var first = true;
        var pause = TimeSpan.Zero;
        for (var round = 0; ; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var shares = first ? new int[products.Count] : OutstandingBudget.Shares(subscription.MaxOutstanding, pending, moreWaiting, round);
            var polls = await Task.WhenAll(products.Select((product, i) => store.PollAsync(
                new FollowUpPollRequest(product, subscription.Group, subscription.Consumer, first, subscription.MaxOutstanding, first ? 0 : pending[i] + shares[i]),
                cancellationToken))).ConfigureAwait(false);

            var deliveries = new List<FollowUpDelivery>();
            for (var i = 0; i < polls.Length; i++)
            {
                pending[i] = polls[i].Pending;
                moreWaiting[i] = polls[i].MoreWaiting;
                deliveries.AddRange(polls[i].Deliveries);
            }

            if (deliveries.Count > 0)
            {
                await deliver(deliveries, cancellationToken).ConfigureAwait(false);
            }

            pause = NextPause(pause, first, deliveries.Count > 0, moreWaiting.Any(more => more) && pending.Sum() < subscription.MaxOutstanding);
            first = false;
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static TimeSpan NextPause(TimeSpan pause, bool first, bool leased, bool moreWithRoom) =>
        first || moreWithRoom ? TimeSpan.Zero
        : leased || pause == TimeSpan.Zero ? MinPause
        : TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
}
