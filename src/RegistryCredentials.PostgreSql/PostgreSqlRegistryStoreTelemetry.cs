namespace RegistryCredentials.PostgreSql;

/// <summary>
/// The name under which the PostgreSQL store publishes its telemetry, for an OpenTelemetry set-up
/// (<c>.AddSource(PostgreSqlRegistryStoreTelemetry.ActivitySourceName)</c>) or an
/// <see cref="System.Diagnostics.ActivityListener"/>. The store records activities only (no meter: Npgsql publishes
/// its own connection and command metrics); docs/telemetry.md lists them with their tags.
/// </summary>
public static class PostgreSqlRegistryStoreTelemetry
{
    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.ActivitySource"/>, <c>RegistryCredentials.PostgreSql</c>:
    /// one client activity per store operation (<c>RegistryCredentials.PostgreSql.Get</c>, <c>.List</c>, <c>.Add</c>, …).
    /// </summary>
    public const string ActivitySourceName = "RegistryCredentials.PostgreSql";
}
