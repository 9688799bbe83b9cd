using BenchmarkDotNet.Attributes;

namespace RegistryCredentials.Benchmarks;

/// <summary><see cref="ImageReference.Parse"/> on a short Docker Hub name, a typical qualified name and a full reference.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ImageReferenceParseBenchmarks
{
    private const string Full =
        "registry.example.com:5000/team/project/group/app/component:1.2.3-rc.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Benchmark(Baseline = true)]
    public ImageReference DockerHubShortName() => ImageReference.Parse("nginx");

    [Benchmark]
    public ImageReference QualifiedWithTag() => ImageReference.Parse("quay.io/ns/app:1.2");

    [Benchmark]
    public ImageReference FullHostPortPathTagDigest() => ImageReference.Parse(Full);
}
