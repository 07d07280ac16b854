using Grpc.Net.Client;
using NpsGrpc.V1;

// One live server is shared with the other SDKs' tests: keep the load small and predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NpsGrpc.Client.Tests;

/// <summary>The live server under test, named by NPS_SERVER_ADDRESS (host:port, plaintext HTTP/2).</summary>
internal static class LiveServer
{
    private static readonly Lazy<GrpcChannel> Channel = new(() => GrpcChannel.ForAddress(Uri(Address)));

    public static string Address => Environment.GetEnvironmentVariable("NPS_SERVER_ADDRESS") is { Length: > 0 } address
        ? address
        : throw new InvalidOperationException("Set NPS_SERVER_ADDRESS to a live server's host:port (clients/csharp/test.sh starts one).");

    public static NpsService.NpsServiceClient Client => new(Channel.Value);

    /// <summary>The live server's TLS + API key twin (see .ci/live-server.sh): host:port, its certificate file, a key with the submit and read scopes.</summary>
    public static (string Address, string CertificateFile, string ApiKey) Secure =>
        (Variable("NPS_SECURE_SERVER_ADDRESS"), Variable("NPS_SECURE_SERVER_CA"), Variable("NPS_SECURE_SERVER_API_KEY"));

    /// <summary>A key of the TLS twin with the follow_up scope only, what a follow-up worker needs.</summary>
    public static string SecureFollowUpApiKey => Variable("NPS_SECURE_SERVER_FOLLOW_UP_API_KEY");

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set {name} (the live server's TLS twin; clients/csharp/test.sh starts one).");

    public static Uri Uri(string hostAndPort) => new("http://" + hostAndPort);

    /// <summary>A product id no other test run uses: the server's Redis is shared.</summary>
    public static string UniqueProduct(string name) => $"csharp-{name}-{Guid.NewGuid():N}";

    /// <summary>The 0..10 distribution of a product, read directly from the server.</summary>
    public static async Task<Score> ScoreAsync(string productId) =>
        (await Client.GetScoreAsync(new GetScoreRequest { ProductId = productId })).Score;

    /// <summary>Every record of a product, newest first, read page by page.</summary>
    public static async Task<List<ResponseRecord>> RecordsAsync(string productId)
    {
        var records = new List<ResponseRecord>();
        var request = new ListResponsesRequest { ProductId = productId, PageSize = 1000 };
        do
        {
            var page = await Client.ListResponsesAsync(request);
            records.AddRange(page.Records);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return records;
    }

    /// <summary>Waits for a condition the writer reaches on its own; fails the test when it never does.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"timed out waiting until {what}");
            await Task.Delay(5);
        }
    }
}
