using System.ComponentModel.DataAnnotations;

namespace NpsGrpc.Redis;

/// <summary>Bound from the <c>Redis</c> configuration section (environment: <c>Redis__Configuration</c>, ...).</summary>
public sealed class RedisStoreOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string: endpoints, password, ssl, timeouts.</summary>
    [Required]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>First part of every key, so several deployments can share one Redis.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._:-]{1,64}$", ErrorMessage = "Redis:KeyPrefix is 1 to 64 characters from [A-Za-z0-9._:-] (no braces: they would change the cluster hash tag).")]
    public string KeyPrefix { get; set; } = "nps";

    /// <summary>How long the exactly-once state of a writer is kept after its last applied batch.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan WriterIdleExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How many replicas must confirm a batch (Redis WAIT) before it is acknowledged: 0 on a single Redis, where the
    /// append-only file with fsync always makes an ack durable; 1 on a cluster with replicas, so a failover keeps it.
    /// </summary>
    [Range(0, 5)]
    public int ReplicaAcknowledgements { get; set; }

    /// <summary>How long to wait for those replicas before answering UNAVAILABLE (the client re-sends; never counted twice).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ReplicaAcknowledgementTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a product's script is sent while other writers keep replacing answers of its respondents
    /// (each time with the answers found), before the batch fails with UNAVAILABLE and the client re-sends it.
    /// </summary>
    [Range(1, 100)]
    public int RespondentConflictAttempts { get; set; } = 8;

    /// <summary>A PEM file of the certificate authority that signed Redis's TLS certificate, when it is not a public one.</summary>
    public string? TrustedCertificateAuthority { get; set; }
}
