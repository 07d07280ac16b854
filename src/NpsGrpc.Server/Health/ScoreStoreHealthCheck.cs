using Microsoft.Extensions.Diagnostics.HealthChecks;
using NpsGrpc.Core.Storage;

namespace NpsGrpc.Server.Health;

/// <summary>Reports the server NOT_SERVING while the store does not answer: without it no RPC can succeed.</summary>
public sealed class ScoreStoreHealthCheck(IScoreStore store) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            return await store.IsReachableAsync(timeout.Token).ConfigureAwait(false)
                ? HealthCheckResult.Healthy("Redis answers.")
                : HealthCheckResult.Unhealthy("Redis is unreachable.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Redis did not answer within {ProbeTimeout.TotalSeconds} s.");
        }
    }
}
