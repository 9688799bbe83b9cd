using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Internal;

/// <summary>The package's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>RegistryCredentials</c>.</summary>
internal static class Telemetry
{
    public const string Name = "RegistryCredentials";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Resolutions by result (<c>credential</c>, <c>anonymous</c>, <c>denied</c>).</summary>
    public static readonly Counter<long> Resolutions = Meter.CreateCounter<long>(
        "registrycredentials.resolutions", unit: "{resolution}", description: "Image references resolved, by result.");

    /// <summary>Resolver index rebuilds after store changes.</summary>
    public static readonly Counter<long> IndexRebuilds = Meter.CreateCounter<long>(
        "registrycredentials.index.rebuilds", unit: "{rebuild}", description: "Resolver index snapshots built after a store change.");

    /// <summary>Management operations by operation name.</summary>
    public static readonly Counter<long> ManagementOperations = Meter.CreateCounter<long>(
        "registrycredentials.management.operations", unit: "{operation}", description: "Registry entries added, updated, deleted, activated or deactivated.");
}
