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
        (PolicySchema.Description, PolicySchema.Sql),
        ("change feed", schema => $"""
            CREATE TABLE {schema}.revision (
                id integer NOT NULL CHECK (id = 1),
                revision bigint NOT NULL CHECK (revision >= 0),
                CONSTRAINT revision_pkey PRIMARY KEY (id)
            );
            INSERT INTO {schema}.revision (id, revision) VALUES (1, 0);
            COMMENT ON TABLE {schema}.revision IS 'RegistryCredentials: the revision counter; every change of an entry raises it in its
            own transaction, whose row lock makes changes commit in revision order.';
            CREATE TABLE {schema}.changes (
                revision bigint NOT NULL,
                account text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                changed_on timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT changes_pkey PRIMARY KEY (revision)
            );
            CREATE INDEX changes_changed_on ON {schema}.changes (changed_on);
            COMMENT ON TABLE {schema}.changes IS 'RegistryCredentials change feed: one row per revision, trimmed by age.';
            """),
        ("path scopes become subtrees (host/path/*) with an exact twin", schema => $"""
            -- Up to version 4 a path scope host/path covered the repository path and every repository below it. From
            -- version 5 on, as Anchore defines them, host/path is exactly one repository and host/path/* every repository
            -- below it. So that no entry loses a match, each path scope becomes the subtree host/path/* and gets an exact
            -- twin host/path (same credential, same fields), except a one-segment Docker Hub namespace (docker.io/acme),
            -- whose exact form would be docker.io/library/acme, which the old scope never matched. Secrets are bound to
            -- host/path without '/*' (RegistryScope.SecretBinding), so both open with the stored ciphertext. No scope
            -- ended in '/*' before this version: the rows that do after the UPDATE are exactly the rewritten ones.
            UPDATE {schema}.entries SET scope = scope || '/*'
            WHERE strpos(scope, '/') > 0 AND right(scope, 2) <> '/*';
            INSERT INTO {schema}.entries (account, scope, name, type, username, email, verify_tls, insecure_http,
                ca_certificates, is_active, created_on, updated_on, version, protected_secret)
            SELECT account, left(scope, -2), name, type, username, email, verify_tls, insecure_http,
                ca_certificates, is_active, created_on, updated_on, version, protected_secret
            FROM {schema}.entries
            WHERE right(scope, 2) = '/*'
              AND NOT (left(scope, 10) = 'docker.io/' AND strpos(substr(scope, 11, length(scope) - 12), '/') = 0);
            """),
        (PolicyFeedSchema.Description, PolicyFeedSchema.Sql),
        ("wildcard scopes index", schema => $"""
            -- The host query (IRegistryHostQuery, a short-lived process's one read per registry) reads the scopes whose
            -- host holds a '*' label through this index instead of testing every entry of the account. Its WHERE is
            -- written exactly as the query's second part, which is what lets the planner use it.
            CREATE INDEX entries_wildcards ON {schema}.entries (account, scope)
            WHERE strpos(scope, '*') > 0 AND (strpos(scope, '/') = 0 OR strpos(scope, '*') < strpos(scope, '/'));
            """),
    ];

    /// <summary>The schema version this package writes and reads.</summary>
    public static int LatestVersion => Migrations.Length;
}
