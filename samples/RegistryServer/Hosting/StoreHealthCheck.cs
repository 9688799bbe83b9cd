using RegistryCredentials;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryServer.Hosting;

/// <summary>The store answers: one small read (the key ids it records), which opens the store first if it is not open yet.</summary>
internal sealed class StoreHealthCheck(IRegistryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetKeyIdsAsync(cancellationToken);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (Exception e) when (e is RegistryCredentialsException or InvalidOperationException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "unreachable", e);
        }
    }
}
