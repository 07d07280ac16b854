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
    private readonly StreamRecorder<WatchScoreResponse, WatchScoreResponse> _stream;

    private ScoreWatcher(NpsService.NpsServiceClient client, WatchScoreRequest request, Metadata? headers)
    {
        Request = request;
        _stream = new(stop => client.WatchScore(request, headers, cancellationToken: stop), score => [score]);
    }

    public WatchScoreRequest Request { get; }

    /// <summary>Every score the stream carried so far, in order.</summary>
    public IReadOnlyList<WatchScoreResponse> Received => _stream.Messages;

    /// <summary>How the stream ended: null while it runs or when the test ended it.</summary>
    public RpcException? Failure => _stream.Failure;

    public static ScoreWatcher Start(NpsService.NpsServiceClient client, string productId, Metadata? headers = null) =>
        Start(client, new WatchScoreRequest { ProductId = productId }, headers);

    public static ScoreWatcher Start(NpsService.NpsServiceClient client, WatchScoreRequest request, Metadata? headers = null) => new(client, request, headers);

    /// <summary>The next score; fails when none comes within the timeout or the stream ends.</summary>
    public async Task<WatchScoreResponse> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _stream.Items.ReadAsync(deadline.Token);
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
    public Task<RpcException> EndedAsync(TimeSpan? timeout = null) => _stream.EndedAsync(timeout ?? DefaultTimeout, $"The watch of {Request.ProductId}");

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
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
