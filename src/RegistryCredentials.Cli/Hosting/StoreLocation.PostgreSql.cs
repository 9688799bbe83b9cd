using RegistryCredentials.PostgreSql;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>regcred's PostgreSQL store: not part of the lookup executable.</summary>
internal sealed partial class StoreLocation
{
    private partial RegistryCredentialsBuilder UsePostgreSql(RegistryCredentialsBuilder builder) => builder.UsePostgreSqlStore(Value);
}
