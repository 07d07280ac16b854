using System.Threading.Channels;
using Grpc.Core;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A server-streaming call read in the background, as the tests' clients hold one: every message kept in order, the
/// items each carries queued for the test to take, and the error the stream ended with. The test ends it by disposing.
/// </summary>
/// <typeparam name="TMessage">The stream's messages.</typeparam>
/// <typeparam name="TItem">What a test takes from them (a message itself, or each delivery a message holds).</typeparam>
internal sealed class StreamRecorder<TMessage, TItem> : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<TItem> _items = Channel.CreateUnbounded<TItem>();
    private readonly List<TMessage> _messages = [];
    private readonly Func<TMessage, IEnumerable<TItem>> _itemsOf;
    private readonly Task _reading;

    /// <param name="start">Starts the call with the token that ends it.</param>
    /// <param name="itemsOf">The items a message carries, queued in order.</param>
    public StreamRecorder(Func<CancellationToken, AsyncServerStreamingCall<TMessage>> start, Func<TMessage, IEnumerable<TItem>> itemsOf)
    {
        _itemsOf = itemsOf;
        Call = start(_stop.Token);
        _reading = ReadAsync();
    }

    public AsyncServerStreamingCall<TMessage> Call { get; }

    /// <summary>Every message the stream carried so far, in order.</summary>
    public IReadOnlyList<TMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The items not taken yet; completed when the stream ends.</summary>
    public ChannelReader<TItem> Items => _items.Reader;

    /// <summary>How the stream ended: null while it runs, when it ended without an error, or when the test ended it.</summary>
    public RpcException? Failure { get; private set; }

    /// <summary>Completes when the stream has ended, however it ended.</summary>
    public Task Reading => _reading;

    /// <summary>Waits for the stream to end with an error and returns it; <paramref name="what"/> names the stream in a failure.</summary>
    public async Task<RpcException> EndedAsync(TimeSpan timeout, string what)
    {
        await _reading.WaitAsync(timeout);
        Assert.True(Failure is not null, $"{what} ended without an error.");
        return Failure;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        Call.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            Failure = await ServerStreams.ReadAsync(
                Call.ResponseStream,
                async message =>
                {
                    lock (_messages)
                    {
                        _messages.Add(message);
                    }

                    foreach (var item in _itemsOf(message))
                    {
                        await _items.Writer.WriteAsync(item);
                    }
                },
                _stop.Token);
        }
        finally
        {
            _items.Writer.TryComplete();
        }
    }
}
