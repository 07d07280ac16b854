using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NpsGrpc.Server.Telemetry;

/// <summary>
/// Bound from the <c>Telemetry</c> section. OTLP export is configured instead by the standard OpenTelemetry variables
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_SERVICE_NAME</c>, ...), which the exporter reads itself.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serve the metrics in the Prometheus text format at <see cref="PrometheusPath"/>, for a scraper.</summary>
    public bool PrometheusEndpoint { get; set; }

    /// <summary>Where the scrape endpoint is served when <see cref="PrometheusEndpoint"/> is on.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>Trace every Redis command as a child span of the call that sent it, when traces are exported.</summary>
    public bool TraceRedisCommands { get; set; } = true;

    /// <summary>
    /// How often the follow-up backlog gauges are sampled from Redis (one backlog script per group and product,
    /// only while a metrics exporter collects them); zero samples nothing. At least 100 ms.
    /// </summary>
    public TimeSpan FollowUpBacklogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a group's backlog on a product stays sampled after this instance last had a worker stream or a backlog call for it.</summary>
    public TimeSpan FollowUpBacklogMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Group and product pairs sampled at most (each is a few series); past it, the one seen longest ago gives way.</summary>
    [Range(1, 100_000)]
    public int FollowUpBacklogMaxPairs { get; set; } = 1000;
}

/// <summary>
/// The OTLP settings the exporter would otherwise take as they come, checked at startup: an endpoint it cannot use
/// would only be logged by the exporter at its first export, and the telemetry silently lost.
/// </summary>
internal sealed class TelemetryOptionsValidator(IConfiguration configuration) : IValidateOptions<TelemetryOptions>
{
    internal static readonly string[] EndpointVariables =
        [OtlpSettings.Endpoint, OtlpSettings.TracesEndpoint, OtlpSettings.MetricsEndpoint];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (!options.PrometheusPath.StartsWith('/') || options.PrometheusPath.Length < 2 || options.PrometheusPath.Contains('?', StringComparison.Ordinal))
        {
            failures.Add($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.PrometheusPath)}: '{options.PrometheusPath}' is not a path; write one such as '/metrics'.");
        }

        if (options.FollowUpBacklogInterval != TimeSpan.Zero && options.FollowUpBacklogInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.FollowUpBacklogInterval)}: '{options.FollowUpBacklogInterval}' is below 100 ms; zero turns sampling off.");
        }

        if (options.FollowUpBacklogMemory <= TimeSpan.Zero)
        {
            failures.Add($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.FollowUpBacklogMemory)}: '{options.FollowUpBacklogMemory}' must be positive.");
        }

        foreach (var variable in EndpointVariables)
        {
            if (configuration[variable] is { Length: > 0 } endpoint
                && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            {
                failures.Add($"{variable}: '{endpoint}' is not an absolute http:// or https:// URI.");
            }
        }

        if (configuration[OtlpSettings.Protocol] is { Length: > 0 } protocol && protocol is not ("grpc" or "http/protobuf"))
        {
            failures.Add($"{OtlpSettings.Protocol}: '{protocol}' is not an OTLP protocol the exporter speaks; use 'grpc' or 'http/protobuf'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The standard OpenTelemetry variables the server looks at (the exporter reads the rest itself).</summary>
internal static class OtlpSettings
{
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string MetricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public const string Protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string ServiceName = "OTEL_SERVICE_NAME";

    /// <summary>Whether OTLP has somewhere to send traces: an endpoint for every signal or for traces.</summary>
    public static bool ExportsTraces(IConfiguration configuration) =>
        IsSet(configuration, Endpoint) || IsSet(configuration, TracesEndpoint);

    /// <summary>Whether OTLP has somewhere to send metrics: an endpoint for every signal or for metrics.</summary>
    public static bool ExportsMetrics(IConfiguration configuration) =>
        IsSet(configuration, Endpoint) || IsSet(configuration, MetricsEndpoint);

    private static bool IsSet(IConfiguration configuration, string variable) => !string.IsNullOrEmpty(configuration[variable]);
}
