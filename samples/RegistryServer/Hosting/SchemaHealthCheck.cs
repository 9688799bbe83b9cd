using RegistryCredentials;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCredentials.PostgreSql;
using RegistryCredentials.Sqlite;

namespace RegistryServer.Hosting;

/// <summary>
/// The store's schema is one this server reads and writes: the stores bring an older schema up to date when they open,
/// and refuse one written by a newer version (<see cref="PostgreSqlSchemaVersionException"/>,
/// <see cref="SqliteStoreErrorKind.NewerSchema"/>), which this check reports apart from an unreachable store.
/// </summary>
internal sealed class SchemaHealthCheck(IRegistryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetKeyIdsAsync(cancellationToken);
            return HealthCheckResult.Healthy("current");
        }
        catch (Exception e) when (e is PostgreSqlSchemaVersionException or SqliteStoreException { Kind: SqliteStoreErrorKind.NewerSchema })
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "newer than this server supports", e);
        }
        catch (Exception e) when (e is RegistryCredentialsException or InvalidOperationException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "unknown: the store is unreachable", e);
        }
    }
}
