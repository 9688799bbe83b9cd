namespace RegistryCredentials.Sqlite.Internal;

/// <summary>The schema of a registry database and its forward migrations.</summary>
internal static class SqliteSchema
{
    /// <summary>
    /// <c>PRAGMA application_id</c> of a registry database (<c>RgCr</c>): marks the file as ours in its header, so that
    /// another application's SQLite file is recognised and refused.
    /// </summary>
    public const int ApplicationId = 0x52674372;

    /// <summary>The newest schema version this code knows.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>The table whose rows are the schema versions applied, one per migration.</summary>
    public const string VersionTable = "registry_schema";

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
    ];

    /// <summary>The table of the secret key ids (schema version 2 on).</summary>
    public const string KeyTable = "registry_secret_keys";

    /// <summary>The columns of an entry, in the order <see cref="EntryRows"/> reads them.</summary>
    public const string Columns =
        "account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active, created_on, updated_on, version, protected_secret";

    public const string SelectOne = "SELECT " + Columns + " FROM registry_entries WHERE account = $account AND scope = $scope";

    // BINARY collation compares UTF-8 bytes, which for the ASCII text of accounts and scopes is ordinal order.
    public const string SelectAll = "SELECT " + Columns + " FROM registry_entries ORDER BY account, scope";

    public const string SelectAccount = "SELECT " + Columns + " FROM registry_entries WHERE account = $account ORDER BY scope";

    public const string SelectVersion = "SELECT version FROM registry_entries WHERE account = $account AND scope = $scope";

    public const string SelectRevision = "SELECT revision FROM registry_revision WHERE id = 1";

    public const string Insert = """
        INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active, created_on, updated_on, version, protected_secret)
        VALUES ($account, $scope, $name, $type, $username, $email, $verify_tls, $insecure_http, $ca_certificates, $is_active, $created_on, $updated_on, 1, $protected_secret)
        ON CONFLICT (account, scope) DO NOTHING
        """;

    public const string Update = """
        UPDATE registry_entries
        SET name = $name, type = $type, username = $username, email = $email, verify_tls = $verify_tls,
            insecure_http = $insecure_http, ca_certificates = $ca_certificates, is_active = $is_active,
            created_on = $created_on, updated_on = $updated_on, version = version + 1, protected_secret = $protected_secret
        WHERE account = $account AND scope = $scope AND version = $expected
        """;

    public const string SelectKeyIds = "SELECT key_id FROM registry_secret_keys ORDER BY key_id";

    public const string InsertKeyId = "INSERT INTO registry_secret_keys (key_id, added_on) VALUES ($key_id, $added_on) ON CONFLICT (key_id) DO NOTHING";

    public const string DeleteKeyId = "DELETE FROM registry_secret_keys WHERE key_id = $key_id";

    public const string Delete = "DELETE FROM registry_entries WHERE account = $account AND scope = $scope AND ($expected IS NULL OR version = $expected)";

    /// <summary>One forward migration.</summary>
    /// <param name="Version">The version it brings the database to.</param>
    /// <param name="Description">What it does, stored beside the version.</param>
    /// <param name="Sql">The statements.</param>
    internal sealed record Migration(int Version, string Description, string Sql);
}
