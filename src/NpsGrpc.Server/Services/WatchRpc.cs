using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using NpsGrpc.Core.Watching;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>WatchScore: the request to a <see cref="WatchSpec"/>, the watcher into the hub and its loop, each score to the contract.</summary>
public sealed class WatchRpc(ScoreChangeHub hub, ScoreWatchLoop loop, DayRetention retention, IHostApplicationLifetime lifetime, ILogger<WatchRpc> logger)
{
    private readonly int _longestWindow = WatchSpec.LongestWindow(retention);

    public async Task WatchAsync(WatchScoreRequest request, IServerStreamWriter<WatchScoreResponse> responseStream, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var spec = WatchSpec.TryParse(
            request.ProductId,
            request.Segment,
            request.WindowDays,
            request.ConfidencePercent,
            ProtoMapping.ToTimeSpan(request.MinInterval),
            _longestWindow,
            violations) ?? throw new RequestValidationException(violations);

        // Shutdown ends the watch: the client watches again on another instance and gets the current score at once.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await using var watch = await hub.JoinAsync(spec, running.Token).ConfigureAwait(false);
            await loop.RunAsync(spec, watch, (score, token) => responseStream.WriteAsync(ToProto(score, spec), token), running.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            ServerLog.WatchEndedForShutdown(logger, spec.Query.ToString());
            throw ErrorStatus.WatchShuttingDown();
        }
    }

    private static WatchScoreResponse ToProto(WatchedScore score, WatchSpec spec) => new()
    {
        Score = ProtoMapping.ToProto(NpsScore.From(score.Distribution, spec.Level)),
        WindowStart = score.WindowStart is { } start ? ProtoMapping.ToTimestamp(start) : null,
        ReadTime = Timestamp.FromDateTimeOffset(score.ReadTime),
    };
}
