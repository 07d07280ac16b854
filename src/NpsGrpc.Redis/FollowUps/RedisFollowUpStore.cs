using System.Globalization;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Core.Time;
using StackExchange.Redis;
using static NpsGrpc.Redis.RedisCalls;

namespace NpsGrpc.Redis.FollowUps;

/// <summary>
/// The follow-up lease queue on Redis Streams: each product's stream <c>prefix:{product}:fu</c> (one entry per record,
/// added by the apply script) carries one consumer group per follow-up group, whose pending entries are the leases.
/// Everything of a product is under its hash tag, so each step is one script in one slot; products go in parallel.
/// </summary>
/// <param name="metrics">Where each script's round trip is recorded; none when null.</param>
public sealed class RedisFollowUpStore(IConnectionMultiplexer redis, IOptions<RedisStoreOptions> options, DayRetention retention, NpsMetrics? metrics = null)
    : IFollowUpStore
{
    private const long GroupMissing = -1;
    private readonly RedisKeyLayout _layout = new(options.Value.KeyPrefix);
    private readonly int _replicaAcknowledgements = options.Value.ReplicaAcknowledgements;
    private readonly long _replicaTimeoutMs = (long)options.Value.ReplicaAcknowledgementTimeout.TotalMilliseconds;

    // Done times serve the median of GetFollowUpBacklog's interval; they are kept as long as day tallies are, the
    // furthest back any interval of the service reaches.
    private readonly long _doneTimesKeptMs = (long)retention.Retention.TotalMilliseconds;

    public async Task OpenAsync(FollowUpSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var db = redis.GetDatabase();
        var settings = FollowUpScripts.Encode(subscription.Settings);

        // Settings are checked on every product before the group is created on any, so a call refused for one
        // product leaves no group with its settings on the others. The script checks again (another call may
        // create the group in between).
        var existing = await Reached(
            Task.WhenAll(subscription.ProductIds.Select(product => db.HashGetAsync(_layout.FollowUpGroups(product), subscription.Group))),
            "read the follow-up groups").ConfigureAwait(false);
        ThrowOnMismatch(subscription, existing.Select(value => value.IsNull ? null : value.ToString()).ToList(), settings);

        var start = FollowUpScripts.StartAfter(subscription.StartTime);
        var created = await Reached(
            Task.WhenAll(subscription.ProductIds.Select(product => db.ScriptEvaluateAsync(
                FollowUpScripts.Open,
                [_layout.FollowUpGroups(product), _layout.FollowUps(product)],
                [subscription.Group, settings, start]).Timed(metrics, ScriptName.FollowUpOpen))),
            "create the follow-up groups").ConfigureAwait(false);
        ThrowOnMismatch(subscription, created.Select(result => result.Resp2Type == ResultType.BulkString ? result.ToString() : null).ToList(), settings);
    }

    private static void ThrowOnMismatch(FollowUpSubscription subscription, List<string?> found, string settings)
    {
        for (var i = 0; i < found.Count; i++)
        {
            if (found[i] is { } other && other != settings)
            {
                throw new FollowUpGroupMismatchException(subscription.Group, subscription.ProductIds[i], FollowUpScripts.Decode(other), subscription.Settings);
            }
        }
    }

    public async Task<FollowUpPoll> PollAsync(FollowUpPollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var product = request.ProductId;
        var reply = await Reached(
            redis.GetDatabase().ScriptEvaluateAsync(
                FollowUpScripts.Poll,
                [_layout.FollowUps(product), _layout.Records(product), _layout.FollowUpGroups(product)],
                [request.Group, request.Consumer, request.First ? "1" : "0", request.MaxOutstanding, request.Allowance]).Timed(metrics, ScriptName.FollowUpPoll),
            "lease follow-ups").ConfigureAwait(false);
        var values = (RedisResult[])reply!;
        if ((long)values[0] == GroupMissing)
        {
            throw new FollowUpGroupNotFoundException(request.Group, product);
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds((long)values[1]);
        var leaseExpires = now.AddMilliseconds((long)values[2]);
        var deliveries = new List<FollowUpDelivery>((values.Length - 5) / 4);
        for (var i = 5; i + 3 < values.Length; i += 4)
        {
            var entry = StreamEntryId.Parse(values[i].ToString());
            var recordId = values[i + 2].ToString();
            deliveries.Add(new FollowUpDelivery(
                new FollowUpAckId(product, request.Group, entry, request.Consumer, (int)(long)values[i + 1]),
                RecordJson.Parse(product, recordId, values[i + 3].ToString()),
                leaseExpires));
        }

        deliveries.Sort((a, b) => a.AckId.Entry.CompareTo(b.AckId.Entry));
        return new FollowUpPoll(deliveries, (int)(long)values[3], (long)values[4] == 1);
    }

    public async Task<IReadOnlyList<AcknowledgementResult>> AcknowledgeAsync(
        IReadOnlyList<FollowUpAcknowledgement> acknowledgements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        var db = redis.GetDatabase();
        var byProduct = acknowledgements.Select((ack, index) => (Ack: ack, Index: index)).GroupBy(item => item.Ack.AckId.ProductId, StringComparer.Ordinal).ToList();
        var scripts = byProduct.Select(product => db.ScriptEvaluateAsync(FollowUpScripts.Acknowledge, AcknowledgeArguments(product.Key, [.. product.Select(item => item.Ack)], out var args), args)
            .Timed(metrics, ScriptName.FollowUpAcknowledge)).ToList();
        var replies = await Reached(Task.WhenAll(scripts), "acknowledge the follow-ups").ConfigureAwait(false);
        await AwaitReplicasAsync(
            redis, db, byProduct.Select(product => _layout.FollowUps(product.Key)), _replicaAcknowledgements, _replicaTimeoutMs, "acknowledgements").ConfigureAwait(false);

        var results = new AcknowledgementResult[acknowledgements.Count];
        for (var p = 0; p < byProduct.Count; p++)
        {
            var codes = (long[])replies[p]!;
            var i = 0;
            foreach (var item in byProduct[p])
            {
                results[item.Index] = codes[i++] switch
                {
                    1 => AcknowledgementResult.Taken,
                    2 => AcknowledgementResult.StaleLease,
                    _ => AcknowledgementResult.Unknown,
                };
            }
        }

        return results;
    }

    /// <summary>KEYS and ARGV of the acknowledge script for one product's acknowledgements (see follow_up_ack.lua).</summary>
    private RedisKey[] AcknowledgeArguments(string product, IReadOnlyList<FollowUpAcknowledgement> acknowledgements, out RedisValue[] args)
    {
        var keys = new List<RedisKey> { _layout.FollowUps(product), _layout.Records(product), _layout.FollowUpGroups(product), _layout.FollowUpDoneCounts(product) };
        var doneKeyIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<RedisValue>(2 + (acknowledgements.Count * 6)) { _doneTimesKeptMs, acknowledgements.Count };
        foreach (var ack in acknowledgements)
        {
            var group = ack.AckId.Group;
            if (!doneKeyIndex.TryGetValue(group, out var index))
            {
                keys.Add(_layout.FollowUpDoneTimes(product, group));
                index = keys.Count;
                doneKeyIndex[group] = index;
            }

            values.Add(group);
            values.Add(index);
            values.Add(ack.AckId.Entry.ToString());
            values.Add(ack.AckId.Consumer);
            values.Add((int)ack.Outcome);
            values.Add(ack.Note);
        }

        args = [.. values];
        return [.. keys];
    }

    public async Task<IReadOnlyList<FollowUpBacklog>> GetBacklogAsync(FollowUpBacklogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = redis.GetDatabase();
        var start = query.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var end = query.End.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var replies = await Reached(
            Task.WhenAll(query.ProductIds.Select(product => db.ScriptEvaluateAsync(
                FollowUpScripts.Backlog,
                [_layout.FollowUps(product), _layout.Records(product), _layout.FollowUpGroups(product), _layout.FollowUpDoneCounts(product), _layout.FollowUpDoneTimes(product, query.Group)],
                [query.Group, start, end]).Timed(metrics, ScriptName.FollowUpBacklog))),
            "read the follow-up backlog").ConfigureAwait(false);

        var backlogs = new List<FollowUpBacklog>(replies.Length);
        for (var i = 0; i < replies.Length; i++)
        {
            var values = (RedisResult[])replies[i]!;
            if ((long)values[0] == GroupMissing)
            {
                throw new FollowUpGroupNotFoundException(query.Group, query.ProductIds[i]);
            }

            var oldest = values[3].ToString();
            backlogs.Add(new FollowUpBacklog(
                query.ProductIds[i],
                Waiting: (long)values[0],
                InProgress: (long)values[1],
                Done: (long)values[2],
                OldestWaitingAnsweredAt: oldest.Length == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(long.Parse(oldest, CultureInfo.InvariantCulture) * TimeSpan.TicksPerMicrosecond),
                DoneInInterval: (long)values[4],
                MedianTimeToDone: Median(values.Skip(5).Select(value => (long)value).ToList())));
        }

        return backlogs;
    }

    private static TimeSpan? Median(List<long> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return null;
        }

        milliseconds.Sort();
        var middle = milliseconds.Count / 2;
        var median = milliseconds.Count % 2 == 1 ? milliseconds[middle] : (milliseconds[middle - 1] + milliseconds[middle]) / 2.0;
        return TimeSpan.FromMilliseconds(median);
    }
}
