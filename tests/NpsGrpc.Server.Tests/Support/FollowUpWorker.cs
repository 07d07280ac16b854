using System.Threading.Channels;
using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A follow-up worker as a client would write one: a StreamFollowUps call whose deliveries are read in the background
/// as they come, so a test can wait for a number of them, check that no more came, and acknowledge them.
/// </summary>
internal sealed class FollowUpWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly AsyncServerStreamingCall<StreamFollowUpsResponse> _call;
    private readonly Channel<FollowUpDelivery> _deliveries = Channel.CreateUnbounded<FollowUpDelivery>();
    private readonly Task _reading;
    private readonly NpsService.NpsServiceClient _client;

    private FollowUpWorker(NpsService.NpsServiceClient client, StreamFollowUpsRequest request)
    {
        _client = client;
        Request = request;
        _call = client.StreamFollowUps(request, cancellationToken: _stop.Token);
        _reading = ReadAsync();
    }

    public StreamFollowUpsRequest Request { get; }

    /// <summary>Every message the stream carried so far, in order (a message holds one or more deliveries).</summary>
    public List<StreamFollowUpsResponse> Messages { get; } = [];

    /// <summary>How the stream ended: null while it runs or when it ended without an error.</summary>
    public RpcException? Failure { get; private set; }

    public static FollowUpWorker Start(NpsService.NpsServiceClient client, string group, string consumer, params string[] products) =>
        Start(client, new StreamFollowUpsRequest { Group = group, Consumer = consumer, ProductIds = { products } });

    public static FollowUpWorker Start(NpsService.NpsServiceClient client, StreamFollowUpsRequest request) => new(client, request);

    /// <summary>Opens a stream, waits until the server has answered it (created or checked the group), and closes it.</summary>
    public static async Task CreateGroupAsync(NpsService.NpsServiceClient client, StreamFollowUpsRequest request)
    {
        await using var worker = Start(client, request);
        await worker.WaitUntilOpenAsync();
    }

    /// <summary>
    /// Returns once the server has created or checked the group of every product: response headers come only then
    /// (a stream the server refuses ends with its status instead, thrown here).
    /// </summary>
    public async Task WaitUntilOpenAsync()
    {
        var headers = await _call.ResponseHeadersAsync.WaitAsync(TimeSpan.FromSeconds(30));
        // A refusal comes as headers and trailers in one (trailers-only), so its headers are the trailers, with the
        // status details every refusal of this server carries (grpc-dotnet keeps grpc-status itself out of them).
        if (headers.Get("grpc-status-details-bin") is null)
        {
            return;
        }

        await _reading;
        if (Failure is not null)
        {
            throw Failure;
        }
    }

    /// <summary>The next <paramref name="count"/> deliveries; fails when they do not all come within <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<FollowUpDelivery>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        var taken = new List<FollowUpDelivery>();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (taken.Count < count)
            {
                taken.Add(await _deliveries.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Worker '{Request.Consumer}' got {taken.Count} of {count} deliveries within {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds} s.");
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"The stream of worker '{Request.Consumer}' ended after {taken.Count} of {count} deliveries: {Failure?.Status}");
        }

        return taken;
    }

    /// <summary>The deliveries that arrive within <paramref name="wait"/> (none, when the test expects nothing more).</summary>
    public async Task<IReadOnlyList<FollowUpDelivery>> TakeWithinAsync(TimeSpan wait)
    {
        await Task.Delay(wait);
        var taken = new List<FollowUpDelivery>();
        while (_deliveries.Reader.TryRead(out var delivery))
        {
            taken.Add(delivery);
        }

        return taken;
    }

    /// <summary>Waits for the stream to end with an error and returns it.</summary>
    public async Task<RpcException> EndedAsync(TimeSpan? timeout = null)
    {
        await _reading.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        Assert.True(Failure is not null, $"The stream of worker '{Request.Consumer}' ended without an error.");
        return Failure;
    }

    public Task<AcknowledgeFollowUpsResponse> AcknowledgeAsync(params FollowUpDelivery[] deliveries) =>
        AcknowledgeAsync(FollowUpOutcome.Contacted, deliveries);

    public async Task<AcknowledgeFollowUpsResponse> AcknowledgeAsync(FollowUpOutcome outcome, params FollowUpDelivery[] deliveries) =>
        await _client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { deliveries.Select(delivery => new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = outcome }) },
        });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _call.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            Failure = await ServerStreams.ReadAsync(
                _call.ResponseStream,
                async message =>
                {
                    lock (Messages)
                    {
                        Messages.Add(message);
                    }

                    foreach (var delivery in message.Deliveries)
                    {
                        await _deliveries.Writer.WriteAsync(delivery);
                    }
                },
                _stop.Token);
        }
        finally
        {
            _deliveries.Writer.TryComplete();
        }
    }
}
