// RegistryServer: a web host with the Registries HTTP API and the management page on the SQLite store.
//   dotnet run --project samples/RegistryServer   then open http://127.0.0.1:5080/registries-ui
// Authentication here is a development-only stand-in: every request is the user "developer" (or the X-Dev-User header).
using Microsoft.AspNetCore.Authentication;
using RegistryCredentials;
using RegistryCredentials.AspNetCore;
using RegistryCredentials.Sqlite;
using RegistryServer;

var builder = WebApplication.CreateBuilder(args);
if (!builder.Environment.IsDevelopment())
{
    throw new InvalidOperationException(
        "RegistryServer authenticates every request as a developer, so it runs only in the Development environment "
        + "(dotnet run sets it). Put real authentication (cookies, OpenID Connect, JWT bearer, …) in your own host.");
}

builder.Services.AddRegistryCredentials()
    .UseSqliteStore(builder.Configuration["RegistryServer:Database"] ?? "registries.db")
    .AddHttpApi(); // the policy (default registry, allow-list) is kept in the store: see docs/policy.md
builder.Services.Configure<RegistryCredentialsOptions>(builder.Configuration.GetSection(RegistryCredentialsOptions.SectionName));
builder.Services.AddOpenApi();
builder.Services.AddAuthentication(DevelopmentAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(DevelopmentAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("registries", policy => policy.RequireAuthenticatedUser());

var app = builder.Build();
app.MapOpenApi();                                                                   // /openapi/v1.json
app.MapRegistryCredentialsApi("/registries").RequireAuthorization("registries");
app.MapRegistryCredentialsDashboard("/registries-ui").RequireAuthorization("registries");
app.MapGet("/", () => Results.Redirect("registries-ui")).ExcludeFromDescription();
app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
