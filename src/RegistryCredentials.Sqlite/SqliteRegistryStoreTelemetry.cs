namespace RegistryCredentials.Sqlite;

/// <summary>
/// The names under which the SQLite store publishes its telemetry, for an OpenTelemetry set-up
/// (<c>.AddMeter(SqliteRegistryStoreTelemetry.MeterName)</c>, <c>.AddSource(SqliteRegistryStoreTelemetry.ActivitySourceName)</c>)
/// or a <see cref="System.Diagnostics.Metrics.MeterListener"/>. Instruments are named <c>registrycredentials.sqlite.*</c>;
/// docs/telemetry.md lists them with their units and tags.
/// </summary>
public static class SqliteRegistryStoreTelemetry
{
    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>, <c>RegistryCredentials.Sqlite</c>:
    /// operations retried on a locked file and changes made by other processes.
    /// </summary>
    public const string MeterName = "RegistryCredentials.Sqlite";

    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.ActivitySource"/>, <c>RegistryCredentials.Sqlite</c>: one
    /// activity per store operation (<c>RegistryCredentials.Sqlite.Get</c>, <c>.List</c>, <c>.Add</c>, …).
    /// </summary>
    public const string ActivitySourceName = "RegistryCredentials.Sqlite";
}
