using RegistryCredentials.AspNetCore;

namespace RegistryServer.Hosting;

/// <summary>
/// The server's own settings (section <c>RegistryServer</c>), read and checked once at start so that a server with a
/// setting missing or wrong refuses to start with a message that names it, instead of running open or half configured.
/// </summary>
internal sealed class ServerSettings
{
    public const string Section = "RegistryServer";
    public const string BearerSection = "Authentication:Schemes:Bearer";
    public const string ConnectionStringName = "RegistryCredentials";

    /// <summary>Every request is a developer (<see cref="DevelopmentAuthenticationHandler"/>): the Development environment only.</summary>
    public const string DevelopmentAuthentication = "Development";

    /// <summary>JWT bearer tokens (<c>Authentication:Schemes:Bearer</c>): the default outside Development.</summary>
    public const string JwtBearerAuthentication = "JwtBearer";

    private ServerSettings(StoreKind store, string database, string? connectionString, string? postgreSqlSchema,
        string authentication, string accountClaim, IReadOnlyList<string> signingKeyFiles, bool allowHttp)
    {
        Store = store;
        Database = database;
        ConnectionString = connectionString;
        PostgreSqlSchema = postgreSqlSchema;
        Authentication = authentication;
        AccountClaim = accountClaim;
        SigningKeyFiles = signingKeyFiles;
        AllowHttp = allowHttp;
    }

    public StoreKind Store { get; }

    /// <summary>The SQLite file.</summary>
    public string Database { get; }

    /// <summary>The PostgreSQL connection string (<c>ConnectionStrings:RegistryCredentials</c>).</summary>
    public string? ConnectionString { get; }

    public string? PostgreSqlSchema { get; }

    /// <summary><see cref="DevelopmentAuthentication"/> or <see cref="JwtBearerAuthentication"/>.</summary>
    public string Authentication { get; }

    /// <summary>The claim of the token that names the account (tenant) of a request; <c>sub</c> by default.</summary>
    public string AccountClaim { get; }

    /// <summary>PEM files of public keys (or certificates) that sign accepted tokens, beside or instead of an authority's keys.</summary>
    public IReadOnlyList<string> SigningKeyFiles { get; }

    /// <summary>Serve plain HTTP too: for Development, and behind a proxy that terminates TLS.</summary>
    public bool AllowHttp { get; }

    /// <summary>The account of a request: the account claim of an authenticated user, or null (403).</summary>
    public Func<HttpContext, string?> AccountSelector => Authentication == DevelopmentAuthentication
        ? RegistryCredentialsApiOptions.AuthenticatedUserName
        : context => context.User.Identity is { IsAuthenticated: true } && context.User.FindFirst(AccountClaim) is { Value.Length: > 0 } claim
            ? claim.Value
            : null;

    public static ServerSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(Section);
        var development = environment.IsDevelopment();

        var storeText = section["Store"];
        var store = string.IsNullOrEmpty(storeText) ? StoreKind.Sqlite
            : Enum.TryParse<StoreKind>(storeText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
            : throw Refuse($"{Section}:Store is '{storeText}': use Sqlite or PostgreSql.");
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (store == StoreKind.PostgreSql && string.IsNullOrWhiteSpace(connectionString))
        {
            throw Refuse($"{Section}:Store is PostgreSql but ConnectionStrings:{ConnectionStringName} is not set.");
        }

        var authentication = section["Authentication"] is { Length: > 0 } auth ? auth
            : development ? DevelopmentAuthentication : JwtBearerAuthentication;
        if (authentication is not (DevelopmentAuthentication or JwtBearerAuthentication))
        {
            throw Refuse(
                $"{Section}:Authentication is '{authentication}': use {JwtBearerAuthentication} (or {DevelopmentAuthentication} on a developer's machine).");
        }

        if (authentication == DevelopmentAuthentication && !development)
        {
            throw Refuse(
                $"The {DevelopmentAuthentication} sign-in authenticates every request as a developer, so it runs only in the Development "
                + $"environment. Outside it, configure JWT bearer authentication ({BearerSection}: Authority, ValidAudience).");
        }

        var signingKeyFiles = section.GetSection("Jwt:SigningKeyFiles").GetChildren()
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
        if (authentication == JwtBearerAuthentication)
        {
            CheckBearer(configuration.GetSection(BearerSection), signingKeyFiles);
        }

        var allowHttp = section["AllowHttp"] is { Length: > 0 } allow
            ? bool.TryParse(allow, out var value) ? value : throw Refuse($"{Section}:AllowHttp is '{allow}': use true or false.")
            : development;
        if (!allowHttp && !HasHttpsEndpoint(configuration))
        {
            throw Refuse(
                "No HTTPS endpoint is configured: set Kestrel:Endpoints:Https (Url, Certificate:Path, Certificate:KeyPath), or set "
                + $"{Section}:AllowHttp=true when a proxy in front of the server terminates TLS.");
        }

        return new ServerSettings(
            store,
            section["Database"] is { Length: > 0 } database ? database : "registries.db",
            connectionString,
            section["PostgreSqlSchema"] is { Length: > 0 } schema ? schema : null,
            authentication,
            section["AccountClaim"] is { Length: > 0 } claim ? claim : "sub",
            signingKeyFiles,
            allowHttp);
    }

    /// <summary>Tokens must be checked for signature, issuer and audience: a setting missing would accept tokens minted for others.</summary>
    private static void CheckBearer(IConfigurationSection bearer, string[] signingKeyFiles)
    {
        var authority = bearer["Authority"] is { Length: > 0 } || bearer["MetadataAddress"] is { Length: > 0 };
        if (!authority && signingKeyFiles.Length == 0)
        {
            throw Refuse($"JWT bearer authentication needs {BearerSection}:Authority (the token issuer, whose keys are fetched from its "
                + $"OpenID metadata) or {Section}:Jwt:SigningKeyFiles (PEM public keys).");
        }

        if (!HasValues(bearer, "ValidAudience", "ValidAudiences"))
        {
            throw Refuse($"JWT bearer authentication needs {BearerSection}:ValidAudience (or ValidAudiences): without it tokens minted "
                + "for any other service of the issuer would be accepted.");
        }

        if (!authority && !HasValues(bearer, "ValidIssuer", "ValidIssuers"))
        {
            throw Refuse($"With {Section}:Jwt:SigningKeyFiles and no authority, set {BearerSection}:ValidIssuer (or ValidIssuers).");
        }
    }

    private static bool HasValues(IConfigurationSection section, string single, string list) =>
        section[single] is { Length: > 0 } || section.GetSection(list).GetChildren().Any(c => c.Value is { Length: > 0 });

    private static bool HasHttpsEndpoint(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => e["Url"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true)
        || configuration["urls"]?.Contains("https://", StringComparison.OrdinalIgnoreCase) == true
        || configuration["https_ports"] is { Length: > 0 };

    private static InvalidOperationException Refuse(string message) => new("RegistryServer cannot start: " + message);
}
