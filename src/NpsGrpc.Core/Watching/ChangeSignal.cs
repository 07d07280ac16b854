namespace NpsGrpc.Core.Watching;

/// <summary>
/// Tells one watcher that its score may have changed. It coalesces: any number of notices between two looks wake
/// the watcher once, so a watcher that is slow (pacing, a slow reader) never has a backlog of notices.
/// </summary>
public sealed class ChangeSignal
{
    private readonly Lock _gate = new();
    private bool _pending;
    private TaskCompletionSource? _waiter;

    /// <summary>Marks a change and wakes the watcher if it waits.</summary>
    public void Notify()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _pending = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Clears the mark; true when there was a change since the last look.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            var pending = _pending;
            _pending = false;
            return pending;
        }
    }

    /// <summary>Completes once a change is marked (at once if one is); leaves the mark for <see cref="TryTake"/>.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending)
            {
                return Task.CompletedTask;
            }

            // Continuations run elsewhere: Notify is called on the store's thread that delivers notices, which
            // must not run a watcher's loop.
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }
}
