namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL schemas as they shipped, for the migration tests: <c>Schema.Migrations</c> in Internal/Schema.cs with the
/// version table, written out once here. Never edit them: a schema made by an earlier version must stay what it was.
/// </summary>
internal static class ShippedSchemas
{
    /// <summary>Schema version 1 (the entries table) in <paramref name="schema"/>.</summary>
    public static string Version1(string schema) => $"""
        CREATE SCHEMA {schema};
        CREATE TABLE {schema}.schema_version (
            version integer PRIMARY KEY,
            description text NOT NULL,
            applied_on timestamptz NOT NULL DEFAULT now()
        );
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
        INSERT INTO {schema}.schema_version (version, description) VALUES (1, 'entries table');
        """;

    /// <summary>Schema version 2 (version 1 and the secret key ids) in <paramref name="schema"/>.</summary>
    public static string Version2(string schema) => Version1(schema) + "\n" + $"""
        CREATE TABLE {schema}.secret_keys (
            key_id text COLLATE "C" NOT NULL CHECK (length(key_id) > 0),
            added_on timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT secret_keys_pkey PRIMARY KEY (key_id)
        );
        INSERT INTO {schema}.schema_version (version, description) VALUES (2, 'secret key ids');
        """;

    /// <summary>
    /// Schema version 5 in <paramref name="schema"/>: version 2, the policies (3), the change feed of entries (4) and the
    /// path-scope step (5, data only, nothing to write for an empty schema). Policy writes took no revision.
    /// </summary>
    public static string Version5(string schema) => Version2(schema) + "\n" + $"""
        CREATE TABLE {schema}.policies (
            account text COLLATE "C" NOT NULL,
            default_registry text NULL,
            allowed_registries text[] NOT NULL,
            updated_on timestamptz NOT NULL,
            version bigint NOT NULL CHECK (version > 0),
            CONSTRAINT policies_pkey PRIMARY KEY (account)
        );
        INSERT INTO {schema}.schema_version (version, description) VALUES (3, 'policies table');
        CREATE TABLE {schema}.revision (
            id integer NOT NULL CHECK (id = 1),
            revision bigint NOT NULL CHECK (revision >= 0),
            CONSTRAINT revision_pkey PRIMARY KEY (id)
        );
        INSERT INTO {schema}.revision (id, revision) VALUES (1, 0);
        CREATE TABLE {schema}.changes (
            revision bigint NOT NULL,
            account text COLLATE "C" NOT NULL,
            scope text COLLATE "C" NOT NULL,
            changed_on timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT changes_pkey PRIMARY KEY (revision)
        );
        CREATE INDEX changes_changed_on ON {schema}.changes (changed_on);
        INSERT INTO {schema}.schema_version (version, description) VALUES (4, 'change feed');
        INSERT INTO {schema}.schema_version (version, description) VALUES (5, 'path scopes become subtrees (host/path/*) with an exact twin');
        """;
}
