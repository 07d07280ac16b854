using System.Reflection;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Server.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NpsGrpc.Server.Extensions;

public static class TelemetryExtensions
{
    /// <summary>The service.name of the server's telemetry unless <c>OTEL_SERVICE_NAME</c> names another.</summary>
    public const string ServiceName = "nps-grpc";

    /// <summary>The built-in meter of the .NET runtime (GC, thread pool, CPU), exported beside the server's.</summary>
    internal const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// Registers the server's instruments (<see cref="NpsMetrics"/>) and what OpenTelemetry collects: those, ASP.NET
    /// Core's and Kestrel's metrics and the runtime's; spans of every call and of the Redis commands it sends. The
    /// pipelines themselves are built only for an exporter that is configured: OTLP when an <c>OTEL_EXPORTER_OTLP_*</c>
    /// endpoint is set (traces and metrics each by their own or the common one), the Prometheus endpoint by option.
    /// With neither, nothing listens, so nothing is collected nor sent anywhere.
    /// </summary>
    public static WebApplicationBuilder AddNpsTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<NpsMetrics>();
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            return new FollowUpBacklogTargets(provider.GetRequiredService<TimeProvider>(), settings.FollowUpBacklogMaxPairs, settings.FollowUpBacklogMemory);
        });
        services.AddHostedService<FollowUpBacklogSampler>();
        var named = !string.IsNullOrEmpty(configuration[OtlpSettings.ServiceName]);

        // What to collect is registered whatever exports it, so that a provider built below or by a host that embeds
        // the server (the tests' in-memory exporters) collects the same.
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .ConfigureResource(resource => Describe(resource, named))
            .AddMeter(NpsMetrics.MeterName, RuntimeMeter)
            .AddAspNetCoreInstrumentation());
        services.ConfigureOpenTelemetryTracerProvider(tracing =>
        {
            tracing.ConfigureResource(resource => Describe(resource, named)).AddAspNetCoreInstrumentation();
            if (options.TraceRedisCommands)
            {
                // The multiplexer registered by AddRedisScoreStore: its commands become spans of the call that sent them.
                tracing.AddRedisInstrumentation();
            }
        });

        var otlpTraces = OtlpSettings.ExportsTraces(configuration);
        var otlpMetrics = OtlpSettings.ExportsMetrics(configuration);
        if (!otlpTraces && !otlpMetrics && !options.PrometheusEndpoint)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry();
        if (otlpMetrics || options.PrometheusEndpoint)
        {
            telemetry.WithMetrics(metrics =>
            {
                if (otlpMetrics)
                {
                    // Endpoint, protocol, headers, interval and temporality: the exporter reads its OTEL_* settings itself.
                    metrics.AddOtlpExporter();
                }

                if (options.PrometheusEndpoint)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        }

        if (otlpTraces)
        {
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// Records every gRPC call's duration and status (the first middleware, so refusals by the later ones count too),
    /// and maps the Prometheus scrape endpoint when it is on.
    /// </summary>
    public static WebApplication UseNpsTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RpcMetricsMiddleware>();
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.PrometheusEndpoint)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        }

        return app;
    }

    /// <summary>The id of this process among the instances: one per process, as OpenTelemetry generates it.</summary>
    private static readonly string InstanceId = Guid.NewGuid().ToString();

    /// <summary>service.name (unless OTEL_SERVICE_NAME gave one: <paramref name="named"/>), the server's version, and an id per process.</summary>
    private static void Describe(ResourceBuilder resource, bool named)
    {
        var version = typeof(TelemetryExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        if (named)
        {
            resource.AddAttributes([new("service.version", version), new("service.instance.id", InstanceId)]);
        }
        else
        {
            resource.AddService(ServiceName, serviceVersion: version, serviceInstanceId: InstanceId);
        }
    }
}
