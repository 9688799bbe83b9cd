using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// The resolve hot path while a <see cref="MeterListener"/> records the <c>RegistryCredentials</c> meter, as an
/// OpenTelemetry exporter would: shows what the <c>registrycredentials.resolutions</c> counter and the
/// <c>registrycredentials.resolution.duration</c> histogram (a clock read and a record per call once enabled) cost when
/// someone listens (<see cref="ResolveBenchmarks"/> runs with no listener).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ResolveWithMeterListenerBenchmarks
{
    private ResolverFixture _fixture = null!;
    private MeterListener _listener = null!;
    private IRegistryCredentialResolver _resolver = null!;
    private ImageReference _deepPath = null!;
    private ImageReference _miss = null!;
    private long _measurements;
    private long _durations;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RegistryCredentialsTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.Length > 0)
            {
                Interlocked.Add(ref _measurements, value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (tags.Length > 0 && value >= 0)
            {
                Interlocked.Increment(ref _durations);
            }
        });
        _listener.Start();
        _fixture = await ResolverFixture.CreateAsync(1_000);
        _resolver = _fixture.Resolver;
        _deepPath = _fixture.DeepPath;
        _miss = _fixture.Miss;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _fixture.Dispose();
        if (Interlocked.Read(ref _measurements) == 0)
        {
            throw new InvalidOperationException("The listener saw no resolution: the benchmark measured nothing.");
        }

        if (Interlocked.Read(ref _durations) == 0)
        {
            throw new InvalidOperationException("The listener saw no resolution duration: the histogram was not measured.");
        }
    }

    [Benchmark]
    public RegistryResolution DeepPathHitListened() => Resolve(_deepPath);

    [Benchmark]
    public RegistryResolution MissListened() => Resolve(_miss);

    private RegistryResolution Resolve(ImageReference image)
    {
        var pending = _resolver.ResolveAsync(image);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}
