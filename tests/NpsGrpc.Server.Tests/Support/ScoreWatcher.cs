using System.Threading.Channels;
using Grpc.Core;
using NpsGrpc.Testing;
using NpsGrpc.V1;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A WatchScore call as a dashboard would hold one: its scores are read in the background as they come, so a test can
/// take them one by one, wait for one that satisfies it, and see how the stream ended.
/// </summary>
internal sealed class ScoreWatcher : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly AsyncServerStreamingCall<WatchScoreResponse> _call;
    private readonly Channel<WatchScoreResponse> _scores = Channel.CreateUnbounded<WatchScoreResponse>();
    private readonly List<WatchScoreResponse> _received = [];
    private readonly Task _reading;

    private ScoreWatcher(NpsService.NpsServiceClient client, WatchScoreRequest request, Metadata? headers)
    {
        Request = request;
        _call = client.WatchScore(request, headers, cancellationToken: _stop.Token);
        _reading = ReadAsync();
    }

    public WatchScoreRequest Request { get; }

    /// <summary>Every score the stream carried so far, in order.</summary>
    public IReadOnlyList<WatchScoreResponse> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>How the stream ended: null while it runs or when the test ended it.</summary>
    public RpcException? Failure { get; private set; }

    public static ScoreWatcher Start(NpsService.NpsServiceClient client, string productId, Metadata? headers = null) =>
        Start(client, new WatchScoreRequest { ProductId = productId }, headers);

    public static ScoreWatcher Start(NpsService.NpsServiceClient client, WatchScoreRequest request, Metadata? headers = null) => new(client, request, headers);

    /// <summary>The next score; fails when none comes within the timeout or the stream ends.</summary>
    public async Task<WatchScoreResponse> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _scores.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No score of {Request.ProductId} came within {(timeout ?? DefaultTimeout).TotalSeconds} s; received {Received.Count}.");
            throw;
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"The watch of {Request.ProductId} ended after {Received.Count} scores: {Failure?.Status}");
            throw;
        }
    }

    /// <summary>Takes scores until one satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<WatchScoreResponse> UntilAsync(Func<Score, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var received = Received;
            Assert.True(left > TimeSpan.Zero, $"No score of {Request.ProductId} met the condition; the last of {received.Count} had total {(received.Count > 0 ? received[^1].Score.Total : null)}.");
            var next = await NextAsync(left);
            if (condition(next.Score))
            {
                return next;
            }
        }
    }

    /// <summary>Waits for the stream to end with an error and returns it.</summary>
    public async Task<RpcException> EndedAsync(TimeSpan? timeout = null)
    {
        await _reading.WaitAsync(timeout ?? DefaultTimeout);
        Assert.True(Failure is not null, $"The watch of {Request.ProductId} ended without an error.");
        return Failure;
    }

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
                async score =>
                {
                    lock (_received)
                    {
                        _received.Add(score);
                    }

                    await _scores.Writer.WriteAsync(score);
                },
                _stop.Token);
        }
        finally
        {
            _scores.Writer.TryComplete();
        }
    }
}

/// <summary>The server side of live scores as Redis sees it: who subscribes to a product's sharded change channel.</summary>
internal static class ChangeChannel
{
    public static string Of(string productId) => $"nps:{{{productId}}}:changes";

    /// <summary>How many connections to <paramref name="node"/> subscribe to the product's channel (PUBSUB SHARDNUMSUB).</summary>
    public static async Task<long> SubscribersAsync(RedisServer node, string productId)
    {
        await node.AdminAsync();
        var reply = (RedisResult[])(await node.AdminServer().ExecuteAsync("PUBSUB", "SHARDNUMSUB", Of(productId)))!;
        return (long)reply[1];
    }

    /// <summary>Waits until <paramref name="node"/> counts <paramref name="expected"/> subscribers of the product's channel.</summary>
    public static async Task WaitForSubscribersAsync(RedisServer node, string productId, long expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        long seen;
        while ((seen = await SubscribersAsync(node, productId)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Redis on port {node.Port} counts {seen} subscribers of {Of(productId)}, not {expected}.");
            await Task.Delay(50);
        }
    }
}
