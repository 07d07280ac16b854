using System.Diagnostics.Metrics;

namespace NpsGrpc.Core.Tests.Telemetry;

/// <summary>
/// A meter factory of its own and a listener of only its meters: what a test's <see cref="Core.Telemetry.NpsMetrics"/>
/// records, whatever else the process measures at the same time.
/// </summary>
internal sealed class RecordedMeasurements : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, string Tags)> _measurements = [];

    public RecordedMeasurements()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == this)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Add(meter);
        return meter;
    }

    /// <summary>Every measurement of <paramref name="instrument"/>: its value and its tags as <c>key=value</c> sorted and comma-joined.</summary>
    public IReadOnlyList<(double Value, string Tags)> Of(string instrument)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];
        }
    }

    /// <summary>Has every observable instrument report its measurements now, as an exporter's collection does.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The sum of the values recorded by <paramref name="instrument"/> with exactly <paramref name="tags"/>.</summary>
    public double Sum(string instrument, string tags = "") => Of(instrument).Where(m => m.Tags == tags).Sum(m => m.Value);

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var written = string.Join(',', tags.ToArray().Select(tag => $"{tag.Key}={Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal));
        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, written));
        }
    }
}
