using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Tests.Support.Telemetry;

/// <summary>
/// Listens, as an OpenTelemetry exporter would, to the meters and activity sources of the given names: keeps every
/// instrument they publish, every measurement (with its tags) and every finished activity. Measurements from other
/// work in the process (a background refresh left by an earlier test) may appear too: assert with "contains".
/// </summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly HashSet<string> _names;
    private readonly MeterListener _meters;
    private readonly ActivityListener _activities;
    private readonly ConcurrentDictionary<Instrument, bool> _instruments = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public TelemetryRecorder(params string[] names)
    {
        _names = new HashSet<string>(names, StringComparer.Ordinal);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (_names.Contains(instrument.Meter.Name))
                {
                    _instruments[instrument] = true;
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => _names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
    }

    /// <summary>Every instrument the listened meters published, those created before the listener included.</summary>
    public IReadOnlyList<Instrument> Instruments => [.. _instruments.Keys];

    public IReadOnlyList<RecordedMeasurement> Measurements => [.. _measurements];

    public IReadOnlyList<Activity> Activities => [.. _stopped];

    /// <summary>The measurements of one instrument.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument.Name == instrument)];

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new RecordedMeasurement(instrument, value, copy));
    }
}
