using System.Diagnostics.Metrics;

namespace RegistryCredentials.Tests.Support.Telemetry;

/// <summary>One measurement seen by <see cref="TelemetryRecorder"/>.</summary>
public sealed record RecordedMeasurement(Instrument Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>The tag's value as a string, or null when the tag is absent.</summary>
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value?.ToString() : null;

    public override string ToString() =>
        $"{Instrument.Name}={Value} {{{string.Join(", ", Tags.Select(t => t.Key + "=" + t.Value))}}}";
}
