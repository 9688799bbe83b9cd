using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// A service provider with <c>AddRegistryCredentials()</c> on the in-memory store, filled through
/// <see cref="IRegistryManager.AddAsync"/> with a realistic mix of entries, and the references the resolve
/// benchmarks use, parsed once and checked to resolve as intended.
/// </summary>
internal sealed class ResolverFixture : IDisposable
{
    /// <summary>The subtree a deep path under <c>reg5.example.com/team3</c> must match.</summary>
    public const string DeepPathScope = "reg5.example.com/team3/*";

    /// <summary>The one repository <see cref="ExactRepository"/> must match (beating <see cref="DeepPathScope"/> above it).</summary>
    public const string ExactScope = "reg5.example.com/team3/app/sub/tool";

    /// <summary>The glob entry <c>eu.region0.example.net/…</c> must match.</summary>
    public const string GlobScope = "*.region0.example.net";

    private readonly ServiceProvider _services;

    private ResolverFixture(ServiceProvider services, IRegistryCredentialResolver resolver)
    {
        _services = services;
        Resolver = resolver;
    }

    public IRegistryCredentialResolver Resolver { get; }

    /// <summary><c>reg5.example.com/team3/app/sub/img:1</c>: four path segments, matched by the subtree <see cref="DeepPathScope"/>.</summary>
    public ImageReference DeepPath { get; } = ImageReference.Parse("reg5.example.com/team3/app/sub/img:1");

    /// <summary><c>reg5.example.com/team3/app/sub/tool:1</c>: matched by the exact repository <see cref="ExactScope"/>.</summary>
    public ImageReference ExactRepository { get; } = ImageReference.Parse("reg5.example.com/team3/app/sub/tool:1");

    /// <summary><c>unknown.example.org/x/y</c>: no entry matches, so anonymous.</summary>
    public ImageReference Miss { get; } = ImageReference.Parse("unknown.example.org/x/y");

    /// <summary><c>eu.region0.example.net/app/img:2</c>: only <see cref="GlobScope"/> matches.</summary>
    public ImageReference GlobHost { get; } = ImageReference.Parse("eu.region0.example.net/app/img:2");

    public static async Task<ResolverFixture> CreateAsync(int entryCount)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryCredentials();
        var provider = services.BuildServiceProvider();
        var fixture = new ResolverFixture(provider, provider.GetRequiredService<IRegistryCredentialResolver>());
        var manager = provider.GetRequiredService<IRegistryManager>();

        var scopes = Scopes(entryCount);
        var started = Stopwatch.GetTimestamp();
        foreach (var scope in scopes)
        {
            await manager.AddAsync(new RegistryAddRequest
            {
                Scope = scope,
                Username = "bench",
                Password = "bench-password",
                Validate = false,
            });
        }

        var added = Stopwatch.GetElapsedTime(started);

        // The first resolve builds the index snapshot; the first resolve per entry caches its credential.
        started = Stopwatch.GetTimestamp();
        await fixture.ExpectAsync(fixture.DeepPath, RegistryResolutionKind.Credential, DeepPathScope);
        var indexed = Stopwatch.GetElapsedTime(started);
        await fixture.ExpectAsync(fixture.ExactRepository, RegistryResolutionKind.Credential, ExactScope);
        await fixture.ExpectAsync(fixture.Miss, RegistryResolutionKind.Anonymous, null);
        await fixture.ExpectAsync(fixture.GlobHost, RegistryResolutionKind.Credential, GlobScope);

        // Shows in the BenchmarkDotNet log, so that setup cost at 100,000 entries stays visible.
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Setup: {entryCount} entries added through IRegistryManager in "
            + $"{added.TotalMilliseconds:F0} ms; first resolve (index build) {indexed.TotalMilliseconds:F1} ms"));
        return fixture;
    }

    /// <summary>
    /// <paramref name="count"/> distinct scopes: the benchmark targets, then per host <c>reg{i}.example.com</c> a
    /// whole-registry entry, a subtree one segment deep, an exact repository two segments deep and a subtree three
    /// segments deep, with one glob host (<c>*.region{k}.example.net</c>, some with a subtree) in every 100 entries.
    /// </summary>
    private static List<string> Scopes(int count)
    {
        var scopes = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string scope)
        {
            if (scopes.Count < count && seen.Add(scope))
            {
                scopes.Add(scope);
            }
        }

        Add(DeepPathScope);
        Add(ExactScope);
        Add(GlobScope);
        Add("reg5.example.com");
        for (var n = 0; scopes.Count < count; n++)
        {
            if (n % 100 == 99)
            {
                var k = (n / 100) + 1;
                Add(n % 200 == 99
                    ? string.Create(CultureInfo.InvariantCulture, $"*.region{k}.example.net")
                    : string.Create(CultureInfo.InvariantCulture, $"*.region{k}.example.net/team{k % 7}/*"));
                continue;
            }

            var i = n / 4;
            var team = i % 7;
            Add((n % 4) switch
            {
                0 => string.Create(CultureInfo.InvariantCulture, $"reg{i}.example.com"),
                1 => string.Create(CultureInfo.InvariantCulture, $"reg{i}.example.com/team{team}/*"),
                2 => string.Create(CultureInfo.InvariantCulture, $"reg{i}.example.com/team{team}/app"),
                _ => string.Create(CultureInfo.InvariantCulture, $"reg{i}.example.com/team{(team + 1) % 7}/app/sub{i % 3}/*"),
            });
        }

        return scopes;
    }

    private async Task ExpectAsync(ImageReference image, RegistryResolutionKind kind, string? scope)
    {
        var resolution = await Resolver.ResolveAsync(image);
        if (resolution.Kind != kind || resolution.Entry?.Scope.Value != scope)
        {
            throw new InvalidOperationException($"{image} resolved to {resolution.Kind} ({resolution.Entry?.Scope}), expected {kind} ({scope ?? "no entry"}).");
        }
    }

    public void Dispose() => _services.Dispose();
}
