namespace NpsGrpc.Client;

/// <summary>Settings of an <see cref="NpsWriter"/>. Every property has a sensible default.</summary>
public sealed record NpsWriterOptions
{
    /// <summary>
    /// Identifies this producer for exactly-once delivery: 1 to 128 characters from [A-Za-z0-9._:-]. Keep it stable
    /// across restarts of the process (persist it) and use a different one for each concurrent producer.
    /// Default: "csharp-" and a random UUID, new for each writer.
    /// </summary>
    public string? WriterId { get; init; }

    /// <summary>Most responses in one batch: 1 to 1000 (the contract's limit). Default 500.</summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>How long the first buffered response may wait for its batch to fill before the batch is sent anyway. Default 200 ms.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most batches sent on the stream and not yet acknowledged (the pipelining window). Default 8.</summary>
    public int MaxInFlightBatches { get; init; } = 8;

    /// <summary>
    /// Sequence of the first batch; each next batch takes the next number. Default: the current Unix time in
    /// microseconds, so a restarted process that reuses its writer id keeps numbering upwards.
    /// </summary>
    public long? InitialSequence { get; init; }

    /// <summary>First pause before reconnecting after a retriable failure; doubles on each failure in a row. Default 100 ms.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest pause between reconnection attempts. Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 1000, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxBatchDelay, TimeSpan.Zero, nameof(MaxBatchDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlightBatches, 1, nameof(MaxInFlightBatches));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialSequence ?? 1, 1, nameof(InitialSequence));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinReconnectDelay, TimeSpan.Zero, nameof(MinReconnectDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, MinReconnectDelay, nameof(MaxReconnectDelay));
        if (WriterId is not null && string.IsNullOrEmpty(WriterId))
        {
            // The server would take an empty id as "no writer" and silently downgrade to at-least-once.
            throw new ArgumentException("WriterId must not be empty; leave it null to generate one.", nameof(WriterId));
        }
    }
}
