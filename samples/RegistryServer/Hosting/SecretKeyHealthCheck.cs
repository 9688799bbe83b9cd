using RegistryCredentials;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryServer.Hosting;

/// <summary>
/// The secret key is loaded and is one the store's secrets are under: a server without its key cannot read a stored
/// password nor write one (the store refuses writes under a key it does not record).
/// </summary>
internal sealed class SecretKeyHealthCheck(IServiceProvider services, IRegistryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ISecretProtector protector;
        try
        {
            protector = services.GetRequiredService<ISecretProtector>();
        }
        catch (RegistrySecretKeyException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "missing", e);
        }

        if (protector.CurrentKeyId is not { } current)
        {
            return HealthCheckResult.Healthy("present");
        }

        IReadOnlyList<string> known;
        try
        {
            known = await store.GetKeyIdsAsync(cancellationToken);
        }
        catch (Exception e) when (e is RegistryCredentialsException or InvalidOperationException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "unknown: the store is unreachable", e);
        }

        return known.Count == 0 || known.Contains(current, StringComparer.Ordinal)
            ? HealthCheckResult.Healthy("present")
            : new HealthCheckResult(context.Registration.FailureStatus, "not the key the store's secrets are under");
    }
}
