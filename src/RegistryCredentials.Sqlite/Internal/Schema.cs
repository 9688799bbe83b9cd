namespace RegistryCredentials.Sqlite.Internal;

/// <summary>The schema of a registry database: its marks, its tables and its forward migrations (applied by <see cref="SchemaMigrator"/>).</summary>
internal static class Schema
{
    /// <summary>
    /// <c>PRAGMA application_id</c> of a registry database (<c>RgCr</c>): marks the file as ours in its header, so that
    /// another application's SQLite file is recognised and refused.
    /// </summary>
    public const int ApplicationId = 0x52674372;

    /// <summary>The newest schema version this code knows.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>The table whose rows are the schema versions applied, one per migration.</summary>
    public const string VersionTable = "registry_schema";

    /// <summary>The table of the entries (schema version 1 on).</summary>
    public const string EntryTable = "registry_entries";

    /// <summary>The one-row table of the revision counter, which every change of an entry raises (schema version 1 on).</summary>
    public const string RevisionTable = "registry_revision";

    /// <summary>The table of the secret key ids (schema version 2 on).</summary>
    public const string KeyTable = "registry_secret_keys";

    /// <summary>
    /// The change feed: one row per revision, the newest <see cref="RetainedChanges"/> kept (schema version 4 on; policy
    /// writes too from version 6, <see cref="PolicyFeedSchema"/>).
    /// </summary>
    public const string ChangeTable = "registry_changes";

    /// <summary>How many changes the feed keeps; a reader further behind gets a gap and reads every entry again.</summary>
    public const int RetainedChanges = 10_000;

    /// <summary>
    /// Migration <c>n</c> (1-based) brings a database from version <c>n - 1</c> to <c>n</c>. Never edit a shipped one:
    /// add the next. Each runs in one write transaction together with its row in <see cref="VersionTable"/>.
    /// </summary>
    public static readonly Migration[] Migrations =
    [
        new(1, "registry entries, revision counter", """
            CREATE TABLE registry_schema (
                version     INTEGER NOT NULL PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_on  TEXT    NOT NULL
            );

            -- One row; every change to registry_entries adds one (triggers below), so that other processes see a
            -- change by reading a single integer instead of the table.
            CREATE TABLE registry_revision (
                id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                revision INTEGER NOT NULL
            );
            INSERT INTO registry_revision (id, revision) VALUES (1, 0);

            CREATE TABLE registry_entries (
                id               INTEGER NOT NULL PRIMARY KEY,
                account          TEXT    NOT NULL COLLATE BINARY,
                scope            TEXT    NOT NULL COLLATE BINARY,
                name             TEXT    NOT NULL,
                type             TEXT    NOT NULL,
                username         TEXT    NOT NULL,
                email            TEXT,
                verify_tls       INTEGER NOT NULL CHECK (verify_tls IN (0, 1)),
                insecure_http    INTEGER NOT NULL CHECK (insecure_http IN (0, 1)),
                ca_certificates  TEXT,
                is_active        INTEGER NOT NULL CHECK (is_active IN (0, 1)),
                created_on       TEXT    NOT NULL,
                updated_on       TEXT    NOT NULL,
                version          INTEGER NOT NULL CHECK (version >= 1),
                protected_secret BLOB    NOT NULL,
                UNIQUE (account, scope)
            );

            CREATE TRIGGER registry_entries_inserted AFTER INSERT ON registry_entries
            BEGIN UPDATE registry_revision SET revision = revision + 1 WHERE id = 1; END;
            CREATE TRIGGER registry_entries_updated AFTER UPDATE ON registry_entries
            BEGIN UPDATE registry_revision SET revision = revision + 1 WHERE id = 1; END;
            CREATE TRIGGER registry_entries_deleted AFTER DELETE ON registry_entries
            BEGIN UPDATE registry_revision SET revision = revision + 1 WHERE id = 1; END;
            """),
        new(2, "secret key ids", """
            -- The ids (fingerprints, never the keys) of the secret keys the entries' secrets are protected with: the
            -- manager refuses to write a secret under any other key. Not entries, so no revision trigger.
            CREATE TABLE registry_secret_keys (
                key_id   TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
                added_on TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        new(3, PolicySchema.Description, PolicySchema.Sql),
        new(4, "change feed", """
            -- The change feed: every change of an entry logs its revision (the counter's new value) and key in the same
            -- statement, so revisions are dense and commit in order (SQLite has one writer). The newest 10,000 are kept.
            CREATE TABLE registry_changes (
                revision INTEGER NOT NULL PRIMARY KEY,
                account  TEXT    NOT NULL COLLATE BINARY,
                scope    TEXT    NOT NULL COLLATE BINARY
            );

            DROP TRIGGER registry_entries_inserted;
            DROP TRIGGER registry_entries_updated;
            DROP TRIGGER registry_entries_deleted;
            CREATE TRIGGER registry_entries_inserted AFTER INSERT ON registry_entries
            BEGIN
                UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
                INSERT INTO registry_changes (revision, account, scope) SELECT revision, NEW.account, NEW.scope FROM registry_revision WHERE id = 1;
                DELETE FROM registry_changes WHERE revision <= (SELECT revision - 10000 FROM registry_revision WHERE id = 1);
            END;
            CREATE TRIGGER registry_entries_updated AFTER UPDATE ON registry_entries
            BEGIN
                UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
                INSERT INTO registry_changes (revision, account, scope) SELECT revision, NEW.account, NEW.scope FROM registry_revision WHERE id = 1;
                DELETE FROM registry_changes WHERE revision <= (SELECT revision - 10000 FROM registry_revision WHERE id = 1);
            END;
            CREATE TRIGGER registry_entries_deleted AFTER DELETE ON registry_entries
            BEGIN
                UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
                INSERT INTO registry_changes (revision, account, scope) SELECT revision, OLD.account, OLD.scope FROM registry_revision WHERE id = 1;
                DELETE FROM registry_changes WHERE revision <= (SELECT revision - 10000 FROM registry_revision WHERE id = 1);
            END;
            """),
        new(5, "path scopes become subtrees (host/path/*) with an exact twin", """
            -- Up to version 4 a path scope host/path covered the repository path and every repository below it. From
            -- version 5 on, as Anchore defines them, host/path is exactly one repository and host/path/* every repository
            -- below it. So that no entry loses a match, each path scope becomes the subtree host/path/* and gets an exact
            -- twin host/path (same credential, same fields), except a one-segment Docker Hub namespace (docker.io/acme),
            -- whose exact form would be docker.io/library/acme, which the old scope never matched. Secrets are bound to
            -- host/path without '/*' (RegistryScope.SecretBinding), so both open with the stored ciphertext. No scope
            -- ended in '/*' before this version: the rows that do after the UPDATE are exactly the rewritten ones.
            UPDATE registry_entries SET scope = scope || '/*'
            WHERE instr(scope, '/') > 0 AND substr(scope, -2) <> '/*';
            INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http,
                ca_certificates, is_active, created_on, updated_on, version, protected_secret)
            SELECT account, substr(scope, 1, length(scope) - 2), name, type, username, email, verify_tls, insecure_http,
                ca_certificates, is_active, created_on, updated_on, version, protected_secret
            FROM registry_entries
            WHERE substr(scope, -2) = '/*'
              AND NOT (substr(scope, 1, 10) = 'docker.io/' AND instr(substr(scope, 11, length(scope) - 12), '/') = 0);
            """),
        new(6, PolicyFeedSchema.Description, PolicyFeedSchema.Sql),
        new(7, "index of the scopes holding a wildcard", """
            -- The host query (a lookup's one read: Statements.ForRegistryAll/ForRegistryAccount) finds the wildcard entries
            -- through this index instead of reading every entry of the account. Only the scopes with a '*' are in it.
            CREATE INDEX registry_entries_wildcards ON registry_entries (account, scope) WHERE instr(scope, '*') > 0;
            """),
    ];

    /// <summary>One forward migration.</summary>
    /// <param name="Version">The version it brings the database to.</param>
    /// <param name="Description">What it does, stored beside the version.</param>
    /// <param name="Sql">The statements.</param>
    internal sealed record Migration(int Version, string Description, string Sql);
}
