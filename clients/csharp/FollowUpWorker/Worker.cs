using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Client;
using NpsGrpc.V1;

namespace NpsGrpc.FollowUpWorker;

/// <summary>
/// One follow-up worker: keeps a StreamFollowUps call open for its group and consumer, handles each delivery
/// (here: prints it) and acknowledges it as contacted. A dropped connection or UNAVAILABLE is not an error: it
/// reconnects with backoff under the same consumer name, so the server first gives back the deliveries this
/// consumer held without acknowledging them.
/// </summary>
internal sealed class Worker(NpsService.NpsServiceClient client, WorkerOptions options, TextWriter output)
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    // Records acknowledged by this run: a record delivered again (after a reconnect) is handled again but counted once.
    private readonly HashSet<(string Product, string Record)> _handled = [];

    private bool Done => options.MaxRecords > 0 && _handled.Count >= options.MaxRecords;

    /// <summary>Runs until <see cref="WorkerOptions.MaxRecords"/> records are acknowledged (or for ever when it is 0).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var backoff = MinBackoff;
        while (!Done)
        {
            string lost;
            try
            {
                // Disposing the call when done (or failed) cancels the stream on the server.
                using var call = client.StreamFollowUps(Request(), cancellationToken: cancellationToken);
                output.WriteLine($"watching {string.Join(",", options.Products)} as {options.Group}/{options.Consumer}");
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    backoff = MinBackoff; // the server answers again: start the backoff over
                    foreach (var delivery in response.Deliveries)
                    {
                        await HandleAsync(delivery, cancellationToken);
                        if (Done)
                        {
                            return _handled.Count;
                        }
                    }
                }

                lost = "the server ended the stream";
            }
            catch (Exception e) when (NpsErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                lost = e is RpcException rpc ? rpc.StatusCode.ToString() : e.GetType().Name;
            }

            var delay = Jittered(backoff);
            output.WriteLine($"stream lost ({lost}): reconnecting in {delay.TotalMilliseconds:0} ms");
            await Task.Delay(delay, cancellationToken);
            backoff = Next(backoff);
        }

        return _handled.Count;
    }

    private StreamFollowUpsRequest Request()
    {
        var request = new StreamFollowUpsRequest
        {
            Group = options.Group,
            Consumer = options.Consumer,
            ProductIds = { options.Products },
            Categories = { ScoreCategory.Detractor },
            MaxOutstanding = options.MaxOutstanding,
        };
        if (options.StartTime is { } start)
        {
            request.StartTime = Timestamp.FromDateTimeOffset(start); // only read when the group is created
        }

        return request;
    }

    private async Task HandleAsync(FollowUpDelivery delivery, CancellationToken cancellationToken)
    {
        var record = delivery.Record;
        var name = $"{record.ProductId}/{record.RecordId}";
        // The follow-up itself would go here (open a ticket, call the customer); this worker only shows the record.
        output.WriteLine($"record {name} score {record.Score} attempt {delivery.Attempt}: {record.Comment.ReplaceLineEndings(" ")}");
        var request = new AcknowledgeFollowUpsRequest
        {
            Acknowledgements =
            {
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted, Note = $"called back by {options.Consumer}" },
            },
        };
        // Acknowledging is idempotent: retry the same ack id until the server answers, so an acknowledgement that
        // was taken but whose answer was lost with the connection is not mistaken for one that was not.
        for (var backoff = MinBackoff; ; backoff = Next(backoff))
        {
            try
            {
                var answer = await client.AcknowledgeFollowUpsAsync(request, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
                if (answer.Exceptions.FirstOrDefault() is { } exception)
                {
                    // STALE_LEASE: the lease expired and another worker has the record; UNKNOWN: it was erased or trimmed.
                    output.WriteLine($"not acknowledged {name}: {exception.Problem}");
                }
                else
                {
                    _handled.Add((record.ProductId, record.RecordId));
                    output.WriteLine($"acknowledged {name} as CONTACTED");
                }

                return;
            }
            catch (RpcException e) when ((NpsErrors.IsTransient(e) || e.StatusCode == StatusCode.DeadlineExceeded) && !cancellationToken.IsCancellationRequested)
            {
                output.WriteLine($"acknowledging {name} failed ({e.StatusCode}): retrying");
                await Task.Delay(Jittered(backoff), cancellationToken);
            }
        }
    }

    private static TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

    private static TimeSpan Jittered(TimeSpan backoff) => backoff * (0.5 + (Random.Shared.NextDouble() / 2));
}
