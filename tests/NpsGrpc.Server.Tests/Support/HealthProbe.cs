using Grpc.Health.V1;
using Grpc.Net.Client;

namespace NpsGrpc.Server.Tests.Support;

internal static class HealthProbe
{
    public static async Task<HealthCheckResponse.Types.ServingStatus> StatusAsync(GrpcChannel channel, string service = "") =>
        (await new global::Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;

    /// <summary>Polls until the server reports <paramref name="expected"/>, or fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(GrpcChannel channel, HealthCheckResponse.Types.ServingStatus expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HealthCheckResponse.Types.ServingStatus status;
        while ((status = await StatusAsync(channel)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Health stayed {status} for {timeout.TotalSeconds} s; expected {expected}.");
            await Task.Delay(100);
        }
    }
}
