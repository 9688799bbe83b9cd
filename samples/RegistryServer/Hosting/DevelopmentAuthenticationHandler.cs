using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RegistryCredentials;

namespace RegistryServer.Hosting;

/// <summary>
/// Development only: every request is authenticated as <c>developer</c>, or as the account named in the
/// <c>X-Dev-User</c> header (to try tenant isolation). Never use anything like it outside a developer's machine.
/// </summary>
public sealed class DevelopmentAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Development";

    public const string UserHeader = "X-Dev-User";

    /// <summary>The user of requests without <see cref="UserHeader"/>.</summary>
    public const string DefaultUser = "developer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var name = Request.Headers[UserHeader].ToString();
        if (name.Length == 0)
        {
            name = DefaultUser;
        }
        else if (!RegistryAccounts.IsValid(name))
        {
            return Task.FromResult(AuthenticateResult.Fail($"{UserHeader} is not a valid account name."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
