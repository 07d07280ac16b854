using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>A SubmitResponses stream driven one batch at a time: send, then read its acknowledgement.</summary>
internal sealed class SubmissionStream : IDisposable
{
    private readonly AsyncDuplexStreamingCall<SubmitResponsesRequest, SubmitResponsesResponse> _call;

    /// <summary>
    /// How long a stream of <see cref="SubmitAllAsync"/> may take: far more than any test needs, and less than the
    /// suite's hang timeout, so a stream that never ends fails its own test, naming the call, instead of the test
    /// host being killed with every later result lost.
    /// </summary>
    internal static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public SubmissionStream(NpsService.NpsServiceClient client, CancellationToken cancellationToken = default) =>
        _call = client.SubmitResponses(cancellationToken: cancellationToken);

    /// <summary>A stream that the client ends with DEADLINE_EXCEEDED if it is still open at <paramref name="deadline"/>.</summary>
    public SubmissionStream(NpsService.NpsServiceClient client, DateTime deadline) =>
        _call = client.SubmitResponses(deadline: deadline);

    public async Task SendAsync(SubmitResponsesRequest request) => await _call.RequestStream.WriteAsync(request);

    /// <summary>The next acknowledgement; throws the stream's RpcException when it ended with an error.</summary>
    public async Task<SubmitResponsesResponse> ReadAckAsync()
    {
        Assert.True(await _call.ResponseStream.MoveNext(CancellationToken.None), "The stream ended without an acknowledgement.");
        return _call.ResponseStream.Current;
    }

    public async Task<SubmitResponsesResponse> SubmitAsync(SubmitResponsesRequest request)
    {
        await SendAsync(request);
        return await ReadAckAsync();
    }

    /// <summary>Half-closes the stream and checks that the server ends it cleanly.</summary>
    public async Task CompleteAsync()
    {
        await _call.RequestStream.CompleteAsync();
        Assert.False(await _call.ResponseStream.MoveNext(CancellationToken.None), "The server sent an unexpected extra acknowledgement.");
        Assert.Equal(StatusCode.OK, _call.GetStatus().StatusCode);
    }

    public void Dispose() => _call.Dispose();

    /// <summary>Submits batches on a fresh stream and returns their acknowledgements.</summary>
    public static async Task<IReadOnlyList<SubmitResponsesResponse>> SubmitAllAsync(
        NpsService.NpsServiceClient client, params SubmitResponsesRequest[] requests)
    {
        using var stream = new SubmissionStream(client, DateTime.UtcNow + Deadline);
        var acks = new List<SubmitResponsesResponse>();
        foreach (var request in requests)
        {
            acks.Add(await stream.SubmitAsync(request));
        }

        await stream.CompleteAsync();
        return acks;
    }
}
