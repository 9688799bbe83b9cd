// RegistryServer: a web host with the Registries HTTP API and the management page.
//   Development:  dotnet run --project samples/RegistryServer   then open http://127.0.0.1:5080/registries-ui
//                 (every request is the user "developer", or the X-Dev-User header: never outside a developer's machine)
//   Production:   JWT bearer authentication, HTTPS, health checks at /healthz, SQLite or PostgreSQL from configuration;
//                 docs/server.md lists the settings.
using RegistryCredentials;
using RegistryCredentials.AspNetCore;
using RegistryCredentials.Aws;
using RegistryCredentials.Azure;
using RegistryCredentials.Google;
using RegistryServer.Hosting;

var builder = WebApplication.CreateBuilder(args);
var settings = ServerSettings.Read(builder.Configuration, builder.Environment);

builder.Services.AddRegistryCredentials()
    .UseConfiguredStore(settings, builder.Configuration)
    .UseConfiguredSecretKey(builder.Configuration, builder.Environment)
    .AddAwsEcr()                                            // awsecr: anchore-cli guesses it for *.dkr.ecr.*.amazonaws.com
    .AddGoogle()                                            // gcr (_json_key)
    .AddAzure()                                             // acr
    .AddHttpApi(api =>
    {
        api.AccountSelector = settings.AccountSelector;
        api.ActAsAccountPolicy = "act-as-account";          // x-anchore-account
    }); // the policy (default registry, allow-list) is kept in the store: see docs/policy.md
builder.Services.Configure<RegistryCredentialsOptions>(builder.Configuration.GetSection(RegistryCredentialsOptions.SectionName));
builder.Services.AddOpenApi();
builder.Services.AddServerAuthentication(settings, builder.Configuration);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("registries", policy => policy.RequireAuthenticatedUser())
    // Who may act as another account with x-anchore-account (Anchore: admin only). Development: the development user.
    // Production: callers whose token has RegistryServer:ActAsAccountRole in a role claim; nobody when it is not set.
    .AddPolicy("act-as-account", policy => policy.RequireAssertion(
        context => ActAsAccount.Allows(context.User, builder.Environment, builder.Configuration)));
builder.Services.AddRegistryHealthChecks();

var app = builder.Build();
app.UseServerTransportSecurity(settings);                                           // before authentication: no token over HTTP
app.UseAuthentication();
app.UseAuthorization();
app.MapRegistryHealthChecks("/healthz");                                             // anonymous: for probes
app.MapOpenApi();                                                                   // /openapi/v1.json
app.MapRegistryCredentialsApi("/registries").RequireAuthorization("registries");
app.MapRegistryCredentialsDashboard("/registries-ui").RequireAuthorization("registries");
app.MapGet("/", () => Results.Redirect("registries-ui")).ExcludeFromDescription();
app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
