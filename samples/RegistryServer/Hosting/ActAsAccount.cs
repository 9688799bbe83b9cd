using System.Security.Claims;

namespace RegistryServer.Hosting;

/// <summary>
/// Who may act as another account with Anchore's <c>x-anchore-account</c> header (Anchore lets only its admin do it).
/// In Development the development user may; elsewhere only a caller whose token carries the role named by
/// <c>RegistryServer:ActAsAccountRole</c> (in a <c>role</c>, <c>roles</c> or <see cref="ClaimTypes.Role"/> claim), and
/// nobody when that setting is empty.
/// </summary>
public static class ActAsAccount
{
    /// <summary>The setting that names the role allowed to act as other accounts outside Development.</summary>
    public const string RoleSetting = "RegistryServer:ActAsAccountRole";

    /// <summary>Whether <paramref name="user"/> may act as another account.</summary>
    /// <param name="user">The authenticated caller.</param>
    /// <param name="environment">The host's environment.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>True when the caller may.</returns>
    public static bool Allows(ClaimsPrincipal user, IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        if (environment.IsDevelopment())
        {
            return user.Identity?.AuthenticationType == DevelopmentAuthenticationHandler.SchemeName
                && user.Identity.Name == DevelopmentAuthenticationHandler.DefaultUser;
        }

        return configuration[RoleSetting] is { Length: > 0 } role
            && user.Claims.Any(claim => claim.Value == role
                && (claim.Type is "role" or "roles" || claim.Type == ClaimTypes.Role));
    }
}
