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
    private readonly StreamRecorder<StreamFollowUpsResponse, FollowUpDelivery> _stream;
    private readonly NpsService.NpsServiceClient _client;

    private FollowUpWorker(NpsService.NpsServiceClient client, StreamFollowUpsRequest request)
    {
        _client = client;
        Request = request;
        _stream = new(stop => client.StreamFollowUps(request, cancellationToken: stop), message => message.Deliveries);
    }

    public StreamFollowUpsRequest Request { get; }

    /// <summary>Every message the stream carried so far, in order (a message holds one or more deliveries).</summary>
    public IReadOnlyList<StreamFollowUpsResponse> Messages => _stream.Messages;

    /// <summary>How the stream ended: null while it runs or when it ended without an error.</summary>
    public RpcException? Failure => _stream.Failure;

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
        var headers = await _stream.Call.ResponseHeadersAsync.WaitAsync(TimeSpan.FromSeconds(30));
        // A refusal comes as headers and trailers in one (trailers-only), so its headers are the trailers, with the
        // status details every refusal of this server carries (grpc-dotnet keeps grpc-status itself out of them).
        if (headers.Get("grpc-status-details-bin") is null)
        {
            return;
        }

        await _stream.Reading;
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
                taken.Add(await _stream.Items.ReadAsync(deadline.Token));
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
        while (_stream.Items.TryRead(out var delivery))
        {
            taken.Add(delivery);
        }

        return taken;
    }

    /// <summary>Waits for the stream to end with an error and returns it.</summary>
    public Task<RpcException> EndedAsync(TimeSpan? timeout = null) =>
        _stream.EndedAsync(timeout ?? TimeSpan.FromSeconds(30), $"The stream of worker '{Request.Consumer}'");

    public Task<AcknowledgeFollowUpsResponse> AcknowledgeAsync(params FollowUpDelivery[] deliveries) =>
        AcknowledgeAsync(FollowUpOutcome.Contacted, deliveries);

    public async Task<AcknowledgeFollowUpsResponse> AcknowledgeAsync(FollowUpOutcome outcome, params FollowUpDelivery[] deliveries) =>
        await _client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { deliveries.Select(delivery => new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = outcome }) },
        });

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
