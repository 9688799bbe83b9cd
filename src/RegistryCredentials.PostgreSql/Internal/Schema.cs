namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>The store's schema: its tables and their forward migrations (applied by <see cref="SchemaMigrator"/>).</summary>
internal static class Schema
{
    /// <summary>
    /// Migration <c>n</c> (1-based) brings a schema from version <c>n - 1</c> to <c>n</c>, given the quoted schema name.
    /// Append only: never change one that has shipped. <see cref="SchemaMigrator"/> runs each in one transaction together
    /// with its row in <c>schema_version</c>.
    /// </summary>
    public static readonly (string Description, Func<string, string> Sql)[] Migrations =
    [
        ("entries table", schema => $"""
            CREATE TABLE {schema}.entries (
                account text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                name text NOT NULL,
                type text NOT NULL,
                username text NOT NULL,
                email text NULL,
                verify_tls boolean NOT NULL,
                insecure_http boolean NOT NULL,
                ca_certificates text NULL,
                is_active boolean NOT NULL,
                created_on timestamptz NOT NULL,
                updated_on timestamptz NOT NULL,
                version bigint NOT NULL CHECK (version > 0),
                protected_secret bytea NOT NULL CHECK (octet_length(protected_secret) > 0),
                CONSTRAINT entries_pkey PRIMARY KEY (account, scope)
            );
            COMMENT ON TABLE {schema}.entries IS 'RegistryCredentials registry entries; protected_secret is ciphertext from ISecretProtector, '
                'never a secret in clear.';
            """),
        ("secret key ids", schema => $"""
            CREATE TABLE {schema}.secret_keys (
                key_id text COLLATE "C" NOT NULL CHECK (length(key_id) > 0),
                added_on timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT secret_keys_pkey PRIMARY KEY (key_id)
            );
            COMMENT ON TABLE {schema}.secret_keys IS 'RegistryCredentials: ids (fingerprints, never the keys) of the secret keys the entries '
                'are protected with; writes under another key are refused.';
            """),
    ];

    /// <summary>The schema version this package writes and reads.</summary>
    public static int LatestVersion => Migrations.Length;
}
