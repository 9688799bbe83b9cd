using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Runs the start-up check once the host's pipeline and endpoints are built, before the server takes requests.</summary>
internal sealed class EndpointGuardStartupFilter(MappedRegistryEndpoints mapped) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        mapped.Verify(app.ApplicationServices);
    };
}
