using NpsGrpc.Core.Watching;

namespace NpsGrpc.Core.Tests.Watching;

public class ChangeSignalTests
{
    [Fact]
    public async Task Many_notices_before_a_look_are_taken_as_one()
    {
        var signal = new ChangeSignal();

        signal.Notify();
        signal.Notify();
        signal.Notify();

        await signal.WaitAsync(CancellationToken.None);
        Assert.True(signal.TryTake());
        Assert.False(signal.TryTake());
        Assert.False(signal.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_waiting_watcher_is_woken_by_the_next_notice()
    {
        var signal = new ChangeSignal();
        var waiting = signal.WaitAsync(CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        signal.Notify();

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(signal.TryTake());
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_next_notice_for_the_next_look()
    {
        var signal = new ChangeSignal();
        using var cancel = new CancellationTokenSource();
        var waiting = signal.WaitAsync(cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        signal.Notify();

        Assert.True(signal.WaitAsync(CancellationToken.None).IsCompleted);
        Assert.True(signal.TryTake());
    }
}
