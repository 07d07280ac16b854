using System.Diagnostics;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NpsGrpc.Server.Tests.Telemetry;

/// <summary>
/// A server whose telemetry goes to in-memory exporters (beside its Prometheus endpoint, which is on), on a
/// redis-server of its own (telemetry does not depend on the deployment; the cluster runs cover the store). OpenTelemetry listens to meters and activity sources by name in the whole process, so its collection runs
/// alone (<see cref="TelemetryCollection"/>): no other server's calls reach these exporters.
/// </summary>
public sealed class TelemetryServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<Metric> _exported = [];
    private Func<bool> _collect = null!;

    public RedisServer Redis { get; private set; } = null!;

    public NpsServerHost Server { get; private set; } = null!;

    public V1.NpsService.NpsServiceClient Client => Server.Client;

    /// <summary>Every span the server ended, as the trace exporter got it.</summary>
    public ExportedSpanCollection Spans { get; } = new();

    public async Task InitializeAsync()
    {
        // Collects only when a test reads (never on a timer), so nothing changes the exported metrics while one is read;
        // the server's meter provider owns it and disposes it.
        var reader = new BaseExportingMetricReader(new InMemoryExporter<Metric>(_exported));
        _collect = () => reader.Collect(10_000);
        Redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Telemetry:PrometheusEndpoint"] = "true",
            // The backlog gauges sampled often enough for a test to see them follow the queue.
            ["Telemetry:FollowUpBacklogInterval"] = "00:00:00.2",
        };
        Server = await NpsServerHost.StartAsync(Redis.Configuration, settings, services: services => services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddReader(reader))
            .WithTracing(tracing => tracing.AddInMemoryExporter(Spans)));
        await HealthProbe.WaitForAsync(Server.Channel, Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, Deadline);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>What the server's instruments have recorded so far (cumulative since it started).</summary>
    public MetricsReading ReadMetrics()
    {
        lock (_exported)
        {
            _exported.Clear();
            Assert.True(_collect(), "The metrics were not exported.");
            return new MetricsReading(_exported);
        }
    }

    /// <summary>Reads the metrics until <paramref name="condition"/> holds of them (what a call records after its client has its answer).</summary>
    public async Task<MetricsReading> ReadMetricsWhenAsync(Func<MetricsReading, bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var reading = ReadMetrics();
            if (condition(reading) || deadline.Elapsed > Deadline)
            {
                return reading;
            }

            await Task.Delay(50);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryServerFixture>
{
    public const string Name = "telemetry";
}

/// <summary>The spans an in-memory exporter got, safe to read while the server exports more.</summary>
public sealed class ExportedSpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>The spans of one trace, waiting until <paramref name="complete"/> holds of them.</summary>
    public async Task<IReadOnlyList<Activity>> OfTraceAsync(ActivityTraceId trace, Func<IReadOnlyList<Activity>, bool> complete)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            List<Activity> spans;
            lock (_spans)
            {
                spans = [.. _spans.Where(span => span.TraceId == trace)];
            }

            // The Redis instrumentation turns profiled commands into spans on a background loop (every 100 ms or so).
            if (complete(spans) || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return spans;
            }

            await Task.Delay(50);
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// One export of the server's metrics: per instrument and attribute set, a counter's or up-down counter's sum, or a
/// histogram's count. Attribute sets are written <c>key=value</c>, sorted and comma-joined ("" for none).
/// </summary>
public sealed class MetricsReading
{
    private readonly Dictionary<(string Metric, string Tags), double> _values = [];

    public MetricsReading(IEnumerable<Metric> metrics)
    {
        foreach (var metric in metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new List<string>();
                foreach (var tag in point.Tags)
                {
                    tags.Add($"{tag.Key}={Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)}");
                }

                tags.Sort(StringComparer.Ordinal);
                _values[(metric.Name, string.Join(',', tags))] = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
                    MetricType.Histogram or MetricType.ExponentialHistogram => point.GetHistogramCount(),
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    _ => point.GetGaugeLastValueDouble(),
                };
            }
        }
    }

    /// <summary>The value of <paramref name="metric"/> with exactly <paramref name="tags"/>; 0 when it has recorded none.</summary>
    public double this[string metric, string tags = ""] => _values.GetValueOrDefault((metric, tags));

    /// <summary>Whether this export has a point of <paramref name="metric"/> whose attributes include all of <paramref name="tags"/>.</summary>
    public bool Has(string metric, params string[] tags) =>
        _values.Keys.Any(key => key.Metric == metric && tags.All(tag => key.Tags.Split(',').Contains(tag)));

    /// <summary>The value over every attribute set of <paramref name="metric"/> that includes all of <paramref name="tags"/>.</summary>
    public double Sum(string metric, params string[] tags) =>
        _values.Where(entry => entry.Key.Metric == metric && tags.All(tag => entry.Key.Tags.Split(',').Contains(tag))).Sum(entry => entry.Value);

    /// <summary>What changed since <paramref name="earlier"/>, by instrument and attribute set (zero changes left out).</summary>
    public IReadOnlyDictionary<(string Metric, string Tags), double> Since(MetricsReading earlier, string metric) =>
        _values.Where(entry => entry.Key.Metric == metric)
            .Select(entry => (entry.Key, Change: entry.Value - earlier._values.GetValueOrDefault(entry.Key)))
            .Where(entry => entry.Change != 0)
            .ToDictionary(entry => entry.Key, entry => entry.Change);
}
