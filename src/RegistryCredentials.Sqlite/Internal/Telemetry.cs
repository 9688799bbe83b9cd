using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="SqliteRegistryStoreTelemetry"/>)
/// and its instruments, named <c>registrycredentials.sqlite.*</c>. docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    public static readonly ActivitySource ActivitySource = new(SqliteRegistryStoreTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(SqliteRegistryStoreTelemetry.MeterName);

    /// <summary>Operations retried because the file was locked.</summary>
    public static readonly Counter<long> BusyRetries = Meter.CreateCounter<long>(
        "registrycredentials.sqlite.busy_retries", unit: "{retry}", description: "Store operations retried because another connection held a lock.");

    /// <summary>Changes by other connections or processes detected by polling.</summary>
    public static readonly Counter<long> ExternalChanges = Meter.CreateCounter<long>(
        "registrycredentials.sqlite.external_changes", unit: "{change}", description: "Changes made by other processes, detected by polling the revision.");

    /// <summary>
    /// Starts the activity of one store operation, named <c>RegistryCredentials.Sqlite.&lt;Operation&gt;</c> from the
    /// store's operation name (<c>SqliteRegistryStore.Get</c>), with the database semantic-convention tags.
    /// </summary>
    public static Activity? StartOperation(string operation)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var (name, dbOperation) = operation switch
        {
            "SqliteRegistryStore.Initialize" => ("RegistryCredentials.Sqlite.Initialize", "initialize"),
            "SqliteRegistryStore.Get" => ("RegistryCredentials.Sqlite.Get", "get"),
            "SqliteRegistryStore.List" => ("RegistryCredentials.Sqlite.List", "list"),
            "SqliteRegistryStore.Add" => ("RegistryCredentials.Sqlite.Add", "add"),
            "SqliteRegistryStore.Update" => ("RegistryCredentials.Sqlite.Update", "update"),
            "SqliteRegistryStore.Delete" => ("RegistryCredentials.Sqlite.Delete", "delete"),
            _ => (SqliteRegistryStoreTelemetry.ActivitySourceName + operation[operation.LastIndexOf('.')..], operation[(operation.LastIndexOf('.') + 1)..]),
        };
        var activity = ActivitySource.StartActivity(name);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.operation.name", dbOperation);
        }

        return activity;
    }
}
