using Grpc.Core;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Core.Validation;
using NpsGrpc.Server.FollowUps;
using NpsGrpc.V1;
using FollowUpDelivery = NpsGrpc.Core.FollowUps.FollowUpDelivery;
using FollowUpAcknowledgement = NpsGrpc.Core.FollowUps.FollowUpAcknowledgement;
using ScoreCategory = NpsGrpc.Core.Scoring.ScoreCategory;

namespace NpsGrpc.Server.Services;

/// <summary>The follow-up queue's RPCs (StreamFollowUps, AcknowledgeFollowUps, GetFollowUpBacklog): contract ↔ domain and store.</summary>
public sealed class FollowUpRpc(
    IFollowUpStore store,
    FollowUpPump pump,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    NpsMetrics metrics,
    FollowUpBacklogTargets backlogTargets,
    ILogger<FollowUpRpc> logger)
{
    /// <summary>
    /// A stream's messages stay below this size, well under the 4 MiB clients accept by default: a delivery with a
    /// comment of 2,000 code points and 16 labels is about 10 KB, so a message holds a hundred or more.
    /// </summary>
    internal const int MaxMessageBytes = 1024 * 1024;

    public async Task StreamAsync(StreamFollowUpsRequest request, IServerStreamWriter<StreamFollowUpsResponse> responseStream, ServerCallContext context)
    {
        var subscription = ParseSubscription(request);
        await store.OpenAsync(subscription, context.CancellationToken).ConfigureAwait(false);

        // Headers now tell the worker that its group exists on every product (it misses nothing from here on),
        // long before a first delivery may come.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);

        // Shutdown ends the stream between rounds: what a round leased is written first or, if the call goes before
        // that, stays leased to this consumer, which gets it back first from whichever instance it reconnects to.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var open = metrics.FollowUpStreamOpened();
        using var sampled = backlogTargets.Open(subscription.Group, subscription.ProductIds);
        try
        {
            await pump.RunAsync(subscription, (deliveries, token) => WriteAsync(responseStream, subscription, deliveries, token), running.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            ServerLog.FollowUpStreamEndedForShutdown(logger, subscription.Group, subscription.Consumer);
            throw ErrorStatus.FollowUpsShuttingDown();
        }
    }

    public async Task<AcknowledgeFollowUpsResponse> AcknowledgeAsync(AcknowledgeFollowUpsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var acknowledgements = FollowUpAcknowledgement.TryParseAll(
            [.. request.Acknowledgements.Select(ack => (ack.AckId, (int)ack.Outcome, ack.Note))], violations);
        if (acknowledgements is null)
        {
            throw new RequestValidationException(violations);
        }

        var results = await store.AcknowledgeAsync(acknowledgements, context.CancellationToken).ConfigureAwait(false);
        metrics.Acknowledged(acknowledgements, results);
        var response = new AcknowledgeFollowUpsResponse();
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] != AcknowledgementResult.Taken)
            {
                response.Exceptions.Add(new AcknowledgementException
                {
                    Index = i,
                    AckId = request.Acknowledgements[i].AckId,
                    Problem = results[i] == AcknowledgementResult.StaleLease ? AcknowledgementProblem.StaleLease : AcknowledgementProblem.Unknown,
                });
            }
        }

        ServerLog.FollowUpsAcknowledged(
            logger,
            results.Count(result => result == AcknowledgementResult.Taken),
            results.Count(result => result == AcknowledgementResult.Unknown),
            results.Count(result => result == AcknowledgementResult.StaleLease));
        return response;
    }

    public async Task<GetFollowUpBacklogResponse> GetBacklogAsync(GetFollowUpBacklogRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        var violations = new List<FieldViolation>();
        var query = FollowUpBacklogQuery.TryParse(
            request.Group, request.ProductIds, ProtoMapping.ToInstant(request.StartTime), ProtoMapping.ToInstant(request.EndTime), now, violations);
        if (query is null)
        {
            throw new RequestValidationException(violations);
        }

        var backlogs = await store.GetBacklogAsync(query, context.CancellationToken).ConfigureAwait(false);
        backlogTargets.Touch(query.Group, query.ProductIds);
        var response = new GetFollowUpBacklogResponse();
        response.Backlogs.AddRange(backlogs.Select(backlog => ProtoMapping.ToProto(backlog, now)));
        return response;
    }

    private static FollowUpSubscription ParseSubscription(StreamFollowUpsRequest request)
    {
        var violations = new List<FieldViolation>();
        var categories = ProtoMapping.ToDomainCategories(request.Categories, violations);

        var subscription = FollowUpSubscription.TryParse(
            request.Group,
            request.Consumer,
            request.ProductIds,
            categories,
            request.OnlyWithComment,
            ProtoMapping.ToTimeSpan(request.VisibilityTimeout),
            ProtoMapping.ToInstant(request.StartTime),
            request.MaxOutstanding,
            violations);
        return violations.Count == 0 ? subscription! : throw new RequestValidationException(violations);
    }

    /// <summary>Writes a round's deliveries in messages of at most <see cref="MaxMessageBytes"/>; each write waits for HTTP/2 flow control.</summary>
    private async Task WriteAsync(
        IServerStreamWriter<StreamFollowUpsResponse> responseStream, FollowUpSubscription subscription, IReadOnlyList<FollowUpDelivery> deliveries, CancellationToken cancellationToken)
    {
        ServerLog.FollowUpsLeased(logger, deliveries.Count, subscription.Group, subscription.Consumer);
        metrics.Delivered(deliveries, clock.GetUtcNow());
        var message = new StreamFollowUpsResponse();
        var size = 0;
        foreach (var delivery in deliveries)
        {
            var proto = ProtoMapping.ToProto(delivery);
            var deliverySize = proto.CalculateSize() + 8;
            if (message.Deliveries.Count > 0 && size + deliverySize > MaxMessageBytes)
            {
                await responseStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
                message = new StreamFollowUpsResponse();
                size = 0;
            }

            message.Deliveries.Add(proto);
            size += deliverySize;
        }

        await responseStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
