namespace NpsGrpc.Core.FollowUps;

/// <summary>
/// Flow control across the products of one worker's stream. A worker holds at most max_outstanding deliveries over
/// all its products, but each product's pending deliveries live in its own stream (its own cluster slot), so no
/// single script sees them all. The products are polled together, one script each, every script given an allowance:
/// the pending count its product had after the previous poll plus a share of what the worker may still take
/// (max_outstanding less the sum of those counts). Between polls a product's count only falls (the worker
/// acknowledges, another worker takes an expired lease), so the counts known are never below the true ones, and
/// however the scripts interleave the worker never holds more than max_outstanding.
/// </summary>
public static class OutstandingBudget
{
    /// <summary>
    /// The share of each product: one each while there is any to give, products that had more waiting first, then
    /// the rest split evenly among those (among all when none had), so a backlog on one product drains at full speed
    /// while a quiet product still takes its next record in the same round. <paramref name="rotation"/> turns the
    /// order from round to round, so no product always comes last when there is less to give than products.
    /// </summary>
    public static int[] Shares(int maxOutstanding, IReadOnlyList<int> pending, IReadOnlyList<bool> moreWaiting, int rotation)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(moreWaiting);
        var count = pending.Count;
        var shares = new int[count];
        var available = maxOutstanding - pending.Sum();
        if (count == 0 || available <= 0)
        {
            return shares;
        }

        var start = (int)((uint)rotation % (uint)count);
        var order = Enumerable.Range(0, count).Select(i => (i + start) % count).OrderBy(i => moreWaiting[i] ? 0 : 1).ToList();
        foreach (var product in order.Take(available))
        {
            shares[product] = 1;
        }

        available -= Math.Min(available, count);
        var takers = order.Where(i => moreWaiting[i]).ToList();
        if (takers.Count == 0)
        {
            takers = order;
        }

        for (var i = 0; i < takers.Count && available > 0; i++)
        {
            var share = (available + takers.Count - i - 1) / (takers.Count - i);
            shares[takers[i]] += share;
            available -= share;
        }

        return shares;
    }
}
