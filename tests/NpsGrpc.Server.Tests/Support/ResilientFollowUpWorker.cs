using System.Collections.Concurrent;
using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A follow-up worker as a client runs one in production: it watches, acknowledges each delivery as it comes
/// (retrying an acknowledgement until the server answers it: acknowledging is idempotent), and reconnects with the
/// same consumer name whenever its stream breaks. It notes every delivery and when each record's acknowledgement
/// was taken, so a test can tell a record delivered again after its acknowledgement.
/// </summary>
internal sealed class ResilientFollowUpWorker : IAsyncDisposable
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NpsService.NpsServiceClient> _client;
    private readonly StreamFollowUpsRequest _request;
    private readonly Task _running;

    public ResilientFollowUpWorker(Func<NpsService.NpsServiceClient> client, StreamFollowUpsRequest request)
    {
        _client = client;
        _request = request;
        _running = RunAsync();
    }

    /// <summary>Every delivery, in the order they came: the record (product, id), its attempt, and when it came.</summary>
    public ConcurrentQueue<(string Product, string RecordId, int Attempt, DateTime At)> Deliveries { get; } = new();

    /// <summary>When each record's acknowledgement was taken (the first time).</summary>
    public ConcurrentDictionary<(string Product, string RecordId), DateTime> Acknowledged { get; } = new();

    /// <summary>How many times the stream broke and the worker connected again.</summary>
    public int Reconnects { get; private set; }

    /// <summary>How many times an acknowledgement was answered UNAVAILABLE and sent again.</summary>
    public int AcknowledgementRetries { get; private set; }

    /// <summary>Waits until the worker has acknowledged every one of <paramref name="records"/>.</summary>
    public async Task WaitForAsync(IReadOnlyCollection<(string Product, string RecordId)> records, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!records.All(Acknowledged.ContainsKey))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{records.Count(record => !Acknowledged.ContainsKey(record))} of {records.Count} records were not acknowledged within {timeout.TotalSeconds} s ({Reconnects} reconnects).");
            await Task.Delay(100);
        }
    }

    /// <summary>Records delivered again after their acknowledgement was taken: the queue must never do that.</summary>
    public IReadOnlyList<(string Product, string RecordId, int Attempt)> DeliveredAfterAcknowledgement() =>
        [.. Deliveries.Where(delivery => Acknowledged.TryGetValue((delivery.Product, delivery.RecordId), out var at) && delivery.At > at)
            .Select(delivery => (delivery.Product, delivery.RecordId, delivery.Attempt))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var call = _client().StreamFollowUps(_request, cancellationToken: _stop.Token);
                await foreach (var message in call.ResponseStream.ReadAllAsync(_stop.Token))
                {
                    foreach (var delivery in message.Deliveries)
                    {
                        Deliveries.Enqueue((delivery.Record.ProductId, delivery.Record.RecordId, delivery.Attempt, DateTime.UtcNow));
                        await AcknowledgeAsync(delivery);
                    }
                }
            }
            catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                return;
            }
            catch (RpcException)
            {
                Reconnects++;
                await Task.Delay(Backoff);
            }
        }
    }

    private async Task AcknowledgeAsync(FollowUpDelivery delivery)
    {
        while (true)
        {
            try
            {
                var response = await _client().AcknowledgeFollowUpsAsync(
                    new AcknowledgeFollowUpsRequest { Acknowledgements = { new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted } } },
                    cancellationToken: _stop.Token);
                if (response.Exceptions.Count == 0)
                {
                    Acknowledged.TryAdd((delivery.Record.ProductId, delivery.Record.RecordId), DateTime.UtcNow);
                }

                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !_stop.IsCancellationRequested)
            {
                AcknowledgementRetries++;
                await Task.Delay(Backoff);
            }
        }
    }
}
