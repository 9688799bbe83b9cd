namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// The SQLite schemas as they shipped, for the migration tests: <c>Schema.Migrations</c> in Internal/Schema.cs with their
/// version rows, written out once here. Never edit them: a database made by an earlier version must stay what it was.
/// </summary>
internal static class ShippedSchemas
{
    /// <summary>Schema version 1 (registry entries, revision counter).</summary>
    public const string Version1 = """
        PRAGMA application_id = 1382499186;
        CREATE TABLE registry_schema (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_on  TEXT    NOT NULL
        );
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
        INSERT INTO registry_schema (version, description, applied_on) VALUES (1, 'registry entries, revision counter', '2026-01-01T00:00:00.0000000+00:00');
        """;

    /// <summary>Schema version 2: version 1 and the secret key ids.</summary>
    public const string Version2 = Version1 + """
        CREATE TABLE registry_secret_keys (
            key_id   TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
            added_on TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO registry_schema (version, description, applied_on) VALUES (2, 'secret key ids', '2026-01-01T00:00:00.0000000+00:00');
        """;

    /// <summary>
    /// Schema version 5: version 2, the policies (3), the change feed of entries (4) and the path-scope step (5, data only,
    /// so nothing to write here for an empty database). Policy writes raise the revision but log no change.
    /// </summary>
    public const string Version5 = Version2 + """
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
        INSERT INTO registry_schema (version, description, applied_on) VALUES (3, 'registry policies', '2026-01-01T00:00:00.0000000+00:00');
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
        INSERT INTO registry_schema (version, description, applied_on) VALUES (4, 'change feed', '2026-01-01T00:00:00.0000000+00:00');
        INSERT INTO registry_schema (version, description, applied_on)
        VALUES (5, 'path scopes become subtrees (host/path/*) with an exact twin', '2026-01-01T00:00:00.0000000+00:00');
        """;
}
