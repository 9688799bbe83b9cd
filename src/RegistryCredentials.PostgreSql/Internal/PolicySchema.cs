namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// The policy table (<see cref="IRegistryPolicyStore"/>): its own numbered migration in <see cref="Schema.Migrations"/>, and
/// its statements. Every write takes the next revision of the change feed and notifies the store's channel in the same
/// statement, as entry writes do (schema version 6 on, <see cref="PolicyFeedSchema"/>), so a policy reaches the other nodes'
/// resolvers exactly as fast as an entry, and as a change of its own.
/// </summary>
internal sealed class PolicySchema
{
    public const string Description = "policies table";

    public PolicySchema(string schema, int retentionSeconds)
    {
        var table = Identifier.Quote(schema) + ".policies";
        var revision = Identifier.Quote(schema) + ".revision";
        var changes = Identifier.Quote(schema) + ".changes";
        const string Columns = "account, default_registry, allowed_registries, updated_on, version";
        Get = $"SELECT {Columns} FROM {table} WHERE account = $1";
        List = $"SELECT {Columns} FROM {table} ORDER BY account COLLATE \"C\"";

        // As an entry write (Statements): the counter raised once the policy's row changed (the policy's row lock first, then
        // the counter's, held to commit, so changes commit in revision order), the change logged as kind 1, the feed trimmed
        // by age, and the revision at the end of the notification payload.
        string Feed(string changed, string payload) => $"""
            , rev AS (
                UPDATE {revision} SET revision = revision + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM {changed})
                RETURNING revision),
            logged AS (
                INSERT INTO {changes} (revision, account, scope, kind) SELECT rev.revision, $1, '', 1 FROM rev),
            trimmed AS (
                DELETE FROM {changes} WHERE changed_on < now() - interval '{retentionSeconds} seconds' AND EXISTS (SELECT 1 FROM rev))
            SELECT {changed}.version, rev.revision, pg_notify({payload} || ' ' || rev.revision::text) FROM {changed}, rev
            """;

        // $1..$4: account, default_registry, allowed_registries, updated_on; $5, $6: channel, payload.
        Insert = $"""
            WITH inserted AS (
                INSERT INTO {table} ({Columns}) VALUES ($1, $2, $3, $4, 1)
                ON CONFLICT (account) DO NOTHING
                RETURNING version)
            """ + Feed("inserted", "$5, $6");

        // $5: expected version; $6, $7: channel, payload.
        Update = $"""
            WITH updated AS (
                UPDATE {table} SET default_registry = $2, allowed_registries = $3, updated_on = $4, version = version + 1
                WHERE account = $1 AND version = $5
                RETURNING version)
            """ + Feed("updated", "$6, $7");
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
