using RegistryCredentials;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using RegistryCredentials.PostgreSql;
using RegistryCredentials.Sqlite;

namespace RegistryServer.Hosting;

/// <summary>The server's services, each from its settings: the store, the secret key and authentication.</summary>
internal static class ServerServiceExtensions
{
    /// <summary>Where the secret key is read from: <c>RegistryServer:SecretKey</c> (<see cref="SecretProtectionOptions"/>).</summary>
    public const string SecretKeySection = ServerSettings.Section + ":SecretKey";

    public static RegistryCredentialsBuilder UseConfiguredStore(this RegistryCredentialsBuilder builder, ServerSettings settings, IConfiguration configuration)
    {
        return settings.Store switch
        {
            StoreKind.PostgreSql => builder.UsePostgreSqlStore(settings.ConnectionString!, o =>
            {
                if (settings.PostgreSqlSchema is { } schema)
                {
                    o.Schema = schema;
                }
            }),
            _ => builder.UseSqliteStore(settings.Database),
        };
    }

    /// <summary>
    /// The key that encrypts the stored passwords: <c>RegistryServer:SecretKey:Key</c>, the <c>REGCRED_SECRET_KEY</c> environment
    /// variable or <c>RegistryServer:SecretKey:KeyFile</c>. Outside Development a missing key file is not created: a server that
    /// lost its key must not start writing under a new one (the <c>secret-key</c> health check reports it).
    /// </summary>
    public static RegistryCredentialsBuilder UseConfiguredSecretKey(
        this RegistryCredentialsBuilder builder, IConfiguration configuration, IHostEnvironment environment)
    {
        builder.Services.Configure<SecretProtectionOptions>(o => o.CreateKeyFile = environment.IsDevelopment());
        builder.Services.Configure<SecretProtectionOptions>(configuration.GetSection(SecretKeySection));
        return builder;
    }

    public static IServiceCollection AddServerAuthentication(this IServiceCollection services, ServerSettings settings, IConfiguration configuration)
    {
        if (settings.Authentication == ServerSettings.DevelopmentAuthentication)
        {
            services.AddAuthentication(DevelopmentAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(DevelopmentAuthenticationHandler.SchemeName, null);
            return services;
        }

        // AddJwtBearer() binds Authentication:Schemes:Bearer (Authority, ValidAudience(s), ValidIssuer(s), MetadataAddress,
        // RequireHttpsMetadata, ...); what follows makes the checks strict whatever the configuration leaves out.
        var signingKeys = settings.SigningKeyFiles.Select(ReadSigningKey).ToArray();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure(o =>
        {
            o.MapInboundClaims = false;                     // claims keep the token's names: RegistryServer:AccountClaim is "sub", not a URI
            var parameters = o.TokenValidationParameters;
            parameters.ValidateIssuer = true;               // with an authority and no ValidIssuer: the issuer its metadata names
            parameters.ValidateAudience = true;
            parameters.ValidateLifetime = true;
            parameters.RequireExpirationTime = true;
            parameters.RequireSignedTokens = true;
            parameters.ValidateIssuerSigningKey = true;
            parameters.NameClaimType = settings.AccountClaim;
            if (signingKeys.Length > 0)
            {
                parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. signingKeys];
            }
        });
        return services;
    }

    /// <summary>A PEM public key (RSA or EC, <c>PUBLIC KEY</c> or <c>RSA PUBLIC KEY</c>) or certificate that signs tokens.</summary>
    private static SecurityKey ReadSigningKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"RegistryServer cannot start: the token signing key file {path} cannot be read: {e.Message}", e);
        }

        try
        {
            if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                return new X509SecurityKey(X509Certificate2.CreateFromPem(pem));
            }

            return TryImport(pem, RSA.Create(), k => new RsaSecurityKey(k))
                ?? TryImport(pem, ECDsa.Create(), k => new ECDsaSecurityKey(k))
                ?? throw new CryptographicException("no RSA or EC public key found");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"RegistryServer cannot start: {path} is not a PEM public key or certificate: {e.Message}", e);
        }
    }

    private static SecurityKey? TryImport<T>(string pem, T algorithm, Func<T, SecurityKey> key)
        where T : AsymmetricAlgorithm
    {
        try
        {
            algorithm.ImportFromPem(pem);
            return key(algorithm);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            algorithm.Dispose();
            return null;
        }
    }
}
