using System.ComponentModel.DataAnnotations;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Time;

namespace NpsGrpc.Server;

/// <summary>Bound from the <c>Ingestion</c> section.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Most responses one SubmitResponses request may carry; the contract's ceiling is 1000.</summary>
    [Range(1, IngestionLimits.MaxResponsesPerBatch)]
    public int MaxResponsesPerBatch { get; set; } = IngestionLimits.MaxResponsesPerBatch;

    /// <summary>Most segment labels one response may carry; the contract's ceiling is 16.</summary>
    [Range(0, IngestionLimits.MaxSegmentsPerResponse)]
    public int MaxSegmentsPerResponse { get; set; } = IngestionLimits.MaxSegmentsPerResponse;

    /// <summary>
    /// Group-commit flushes (one product's script each) this instance keeps in Redis at once; products waiting for a
    /// place gather the batches of every stream into their next flush.
    /// </summary>
    [Range(1, 4096)]
    public int MaxFlushesInFlight { get; set; } = CommitBounds.Default.MaxFlushesInFlight;
}

/// <summary>Bound from the <c>Limits</c> section: what one connection and one message may cost the server.</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Largest request message; a full batch of 1000 responses with 16 labels each stays well below 4 MiB, while 1000
    /// comments of 2000 code points may reach 8 MB (4 bytes each in UTF-8) and are refused: such batches must be smaller.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxReceiveMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Concurrent streams (calls) on one HTTP/2 connection; a client asking for more waits.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;
}

/// <summary>Bound from the <c>Server</c> section.</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Serve gRPC reflection, so grpcurl and buf curl work without proto files.</summary>
    public bool EnableReflection { get; set; } = true;
}

/// <summary>Bound from the <c>Retention</c> section.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How long a UTC day's tallies live after the day ends; month and all-time tallies never expire.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00")]
    public TimeSpan DayBuckets { get; set; } = DayRetention.DefaultRetention;

    /// <summary>How long response records are kept after their answer; <see cref="DayBuckets"/> when unset.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00")]
    public TimeSpan? Records { get; set; }

    /// <summary>
    /// How long a UTC month's key-term counts are kept after the month ends; as long as records (<see cref="Records"/>,
    /// or <see cref="DayBuckets"/> when that is unset too) when unset: they are read from what customers wrote.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00")]
    public TimeSpan? Terms { get; set; }

    /// <summary>The record retention in effect.</summary>
    public TimeSpan RecordsKept => Records ?? DayBuckets;

    /// <summary>The term retention in effect.</summary>
    public TimeSpan TermsKept => Terms ?? RecordsKept;
}
