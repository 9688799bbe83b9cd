namespace RegistryCredentials.Sqlite.Internal;

/// <summary>The policy table (<see cref="IRegistryPolicyStore"/>): its own numbered migration in <see cref="Schema.Migrations"/>.</summary>
internal static class PolicySchema
{
    /// <summary>The table of the policies, one row per account plus the global one (<c>*</c>).</summary>
    public const string Table = "registry_policies";

    public const string Description = "registry policies";

    /// <summary>
    /// The allow-list is kept as its scopes joined by line feeds (a scope holds no white space), empty for none. Every change
    /// raises the revision counter like a change of an entry, so other processes' resolvers see it as fast.
    /// </summary>
    public const string Sql = """
        CREATE TABLE registry_policies (
            account            TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,
            default_registry   TEXT,
            allowed_registries TEXT    NOT NULL,
            updated_on         TEXT    NOT NULL,
            version            INTEGER NOT NULL CHECK (version >= 1)
        ) WITHOUT ROWID;

        CREATE TRIGGER registry_policies_inserted AFTER INSERT ON registry_policies
        BEGIN UPDATE registry_revision SET revision = revision + 1 WHERE id = 1; END;
        CREATE TRIGGER registry_policies_updated AFTER UPDATE ON registry_policies
        BEGIN UPDATE registry_revision SET revision = revision + 1 WHERE id = 1; END;
        CREATE TRIGGER registry_policies_deleted AFTER DELETE ON registry_policies
        BEGIN UPDATE registry_revision SET revision = revision + 1 WHERE id = 1; END;
        """;

    private const string Columns = "account, default_registry, allowed_registries, updated_on, version";

    public const string Get = "SELECT " + Columns + " FROM registry_policies WHERE account = $account";

    public const string List = "SELECT " + Columns + " FROM registry_policies ORDER BY account";

    public const string Insert = """
        INSERT INTO registry_policies (account, default_registry, allowed_registries, updated_on, version)
        VALUES ($account, $default_registry, $allowed_registries, $updated_on, 1)
        ON CONFLICT (account) DO NOTHING
        """;

    public const string Update = """
        UPDATE registry_policies
        SET default_registry = $default_registry, allowed_registries = $allowed_registries, updated_on = $updated_on, version = version + 1
        WHERE account = $account AND version = $expected
        """;
}
