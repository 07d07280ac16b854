using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A client that does what the contract asks of one: sends each batch with its writer_id and sequence, and when the
/// call fails with a retryable status, opens a new stream and sends the same batch again until it is acknowledged.
/// Any other status is a failure of the test.
/// </summary>
internal sealed class RetryingWriter(Func<NpsService.NpsServiceClient> client, string writerId)
{
    private long _sequence;

    public string WriterId => writerId;

    /// <summary>How many attempts failed with a retryable status and were sent again.</summary>
    public int Retries { get; private set; }

    /// <summary>The statuses that made it retry, for the test's output.</summary>
    public List<string> RetriedStatuses { get; } = [];

    public async Task<SubmitResponsesResponse> SubmitAsync(IEnumerable<SurveyResponse> responses, TimeSpan? giveUpAfter = null)
    {
        var request = Responses.Batch(responses, writerId, ++_sequence);
        var deadline = DateTime.UtcNow + (giveUpAfter ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                using var call = client().SubmitResponses(deadline: DateTime.UtcNow.AddSeconds(10));
                await call.RequestStream.WriteAsync(request);
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None), "The stream ended without an acknowledgement.");
                var ack = call.ResponseStream.Current;
                await call.RequestStream.CompleteAsync();
                Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None), "The server sent an unexpected extra acknowledgement.");
                return ack;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && DateTime.UtcNow < deadline)
            {
                Retries++;
                RetriedStatuses.Add($"{e.StatusCode}: {e.Status.Detail}");
                await Task.Delay(50);
            }
        }
    }
}
