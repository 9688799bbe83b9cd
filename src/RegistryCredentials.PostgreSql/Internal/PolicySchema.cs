namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// The policy table (<see cref="IRegistryPolicyStore"/>): its own numbered migration in <see cref="Schema.Migrations"/>, and
/// its statements. Every write notifies the store's channel in the same statement, as entry writes do, so a policy reaches
/// the other nodes' resolvers exactly as fast as an entry.
/// </summary>
internal sealed class PolicySchema
{
    public const string Description = "policies table";

    public PolicySchema(string schema)
    {
        var table = Identifier.Quote(schema) + ".policies";
        const string Columns = "account, default_registry, allowed_registries, updated_on, version";
        Get = $"SELECT {Columns} FROM {table} WHERE account = $1";
        List = $"SELECT {Columns} FROM {table} ORDER BY account COLLATE \"C\"";

        // $1..$4: account, default_registry, allowed_registries, updated_on; $5, $6: channel, payload.
        Insert = $"""
            WITH inserted AS (
                INSERT INTO {table} ({Columns}) VALUES ($1, $2, $3, $4, 1)
                ON CONFLICT (account) DO NOTHING
                RETURNING version)
            SELECT inserted.version, pg_notify($5, $6) FROM inserted
            """;

        // $5: expected version; $6, $7: channel, payload.
        Update = $"""
            WITH updated AS (
                UPDATE {table} SET default_registry = $2, allowed_registries = $3, updated_on = $4, version = version + 1
                WHERE account = $1 AND version = $5
                RETURNING version)
            SELECT updated.version, pg_notify($6, $7) FROM updated
            """;
    }

    public string Get { get; }

    public string List { get; }

    public string Insert { get; }

    public string Update { get; }

    /// <summary>The migration that creates the table, given the quoted schema name.</summary>
    public static string Sql(string schema) => $"""
        CREATE TABLE {schema}.policies (
            account text COLLATE "C" NOT NULL,
            default_registry text NULL,
            allowed_registries text[] NOT NULL,
            updated_on timestamptz NOT NULL,
            version bigint NOT NULL CHECK (version > 0),
            CONSTRAINT policies_pkey PRIMARY KEY (account)
        );
        COMMENT ON TABLE {schema}.policies IS 'RegistryCredentials policies (default registry, allow-list) per account; account * is the global policy.';
        """;
}
