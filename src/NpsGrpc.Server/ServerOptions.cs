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
}
