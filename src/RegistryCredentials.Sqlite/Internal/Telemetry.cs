using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>The package's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>RegistryCredentials.Sqlite</c>.</summary>
internal static class Telemetry
{
    public const string Name = "RegistryCredentials.Sqlite";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Operations retried because the file was locked.</summary>
    public static readonly Counter<long> BusyRetries = Meter.CreateCounter<long>(
        "registrycredentials.sqlite.busy_retries", unit: "{retry}", description: "Store operations retried because another connection held a lock.");

    /// <summary>Changes by other connections or processes detected by polling.</summary>
    public static readonly Counter<long> ExternalChanges = Meter.CreateCounter<long>(
        "registrycredentials.sqlite.external_changes", unit: "{change}", description: "Changes made by other processes, detected by polling the revision.");
}
