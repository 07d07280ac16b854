using Microsoft.Extensions.Options;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Server.Telemetry;

/// <summary>
/// Reads the follow-up backlog of the pairs <see cref="FollowUpBacklogTargets"/> names every
/// <see cref="TelemetryOptions.FollowUpBacklogInterval"/>, into the readings the backlog gauges report. A collection
/// then costs no Redis call, and Redis sees one backlog script per pair per interval, whatever scrapes how often.
/// </summary>
internal sealed class FollowUpBacklogSampler(
    IFollowUpStore store,
    NpsMetrics metrics,
    FollowUpBacklogTargets targets,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<FollowUpBacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FollowUpBacklogInterval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: every pair due, a group's products in one call each (the store reads them in parallel).</summary>
    internal async Task SampleAsync(CancellationToken cancellationToken)
    {
        var due = targets.Due();
        metrics.FollowUpBacklog.RetainOnly(due);
        if (!metrics.FollowUpBacklogObserved)
        {
            return;
        }

        foreach (var (group, products) in due)
        {
            foreach (var chunk in products.Chunk(ProductIdList.MaxProducts))
            {
                var now = clock.GetUtcNow();
                try
                {
                    var backlogs = await store.GetBacklogAsync(
                        new FollowUpBacklogQuery(group, chunk, now - FollowUpBacklogQuery.DefaultInterval, now), cancellationToken).ConfigureAwait(false);
                    foreach (var backlog in backlogs)
                    {
                        metrics.FollowUpBacklog.Set(group, backlog, now);
                    }
                }
                catch (FollowUpGroupNotFoundException e)
                {
                    // Its records expired with the group, or a backlog call named a product it never had. The rest of
                    // the chunk is read again next round.
                    targets.Forget(group, e.ProductId);
                    metrics.FollowUpBacklog.Remove(group, e.ProductId);
                    ServerLog.BacklogPairForgotten(logger, group, e.ProductId);
                }
                catch (ScoreStoreUnavailableException)
                {
                    // The gauges keep their last readings; the health check and the calls' own errors tell of the outage.
                    ServerLog.BacklogNotSampled(logger);
                    return;
                }
            }
        }
    }
}
