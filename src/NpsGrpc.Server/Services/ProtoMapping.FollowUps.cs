using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Core.FollowUps;

namespace NpsGrpc.Server.Services;

/// <summary>The follow-up queue to the contract, and the durations its requests carry.</summary>
internal static partial class ProtoMapping
{
    /// <summary>
    /// A duration; one beyond what TimeSpan holds (or with nanos of the wrong sign) becomes the longest or shortest,
    /// which validation refuses.
    /// </summary>
    public static TimeSpan? ToTimeSpan(Duration? duration)
    {
        if (duration is null)
        {
            return null;
        }

        try
        {
            return duration.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            return duration.Seconds < 0 ? TimeSpan.MinValue : TimeSpan.MaxValue;
        }
    }

    public static V1.FollowUpDelivery ToProto(FollowUpDelivery delivery) => new()
    {
        AckId = delivery.AckId.Encode(),
        Attempt = delivery.Attempt,
        Record = ToProto(delivery.Record),
        LeaseExpireTime = Timestamp.FromDateTimeOffset(delivery.LeaseExpires),
    };

    public static V1.FollowUpBacklog ToProto(FollowUpBacklog backlog, DateTimeOffset now)
    {
        var proto = new V1.FollowUpBacklog
        {
            ProductId = backlog.ProductId,
            WaitingCount = backlog.Waiting,
            InProgressCount = backlog.InProgress,
            DoneCount = backlog.Done,
            DoneInIntervalCount = backlog.DoneInInterval,
        };
        if (backlog.OldestWaitingAnsweredAt is { } answeredAt)
        {
            proto.OldestWaitingAge = Duration.FromTimeSpan(answeredAt < now ? now - answeredAt : TimeSpan.Zero);
        }

        if (backlog.MedianTimeToDone is { } median)
        {
            proto.MedianTimeToDone = Duration.FromTimeSpan(median);
        }

        return proto;
    }
}
