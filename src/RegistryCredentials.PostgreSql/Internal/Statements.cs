using RegistryCredentials.Shared;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// The statements of one store, built once for its schema. Every write notifies the channel in the same statement
/// (so in the same transaction): the notification goes out exactly when the change commits, and only if it did.
/// </summary>
internal sealed class Statements
{
    private const string Columns = EntryColumns.All;

    public Statements(string schema)
    {
        var table = Identifier.Quote(schema) + ".entries";
        Get = $"SELECT {Columns} FROM {table} WHERE account = $1 AND scope = $2";
        ListAll = $"SELECT {Columns} FROM {table} ORDER BY account COLLATE \"C\", scope COLLATE \"C\"";
        ListAccount = $"SELECT {Columns} FROM {table} WHERE account = $1 ORDER BY scope COLLATE \"C\"";
        Version = $"SELECT version FROM {table} WHERE account = $1 AND scope = $2";

        var keys = Identifier.Quote(schema) + ".secret_keys";
        KeyIds = $"SELECT key_id FROM {keys} ORDER BY key_id COLLATE \"C\"";

        // Self-exclusive, and readers still read: concurrent replacements take turns, each sees the one before.
        LockKeyIds = $"LOCK TABLE {keys} IN SHARE ROW EXCLUSIVE MODE";

        // $1: the new ids (text[]). Ids kept keep their added_on.
        ReplaceKeyIds = $"""
            WITH removed AS (DELETE FROM {keys} WHERE NOT (key_id = ANY($1)))
            INSERT INTO {keys} (key_id) SELECT unnest($1) ON CONFLICT (key_id) DO NOTHING
            """;

        // $1..$13: account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active,
        // created_on, updated_on, protected_secret. Then the extra parameters named in each statement.
        Add = $"""
            WITH inserted AS (
                INSERT INTO {table} ({Columns})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13)
                ON CONFLICT (account, scope) DO NOTHING
                RETURNING version)
            SELECT inserted.version, pg_notify($14, $15) FROM inserted
            """;

        // $14: expected version; $15, $16: channel, payload.
        Update = $"""
            WITH updated AS (
                UPDATE {table}
                SET name = $3, type = $4, username = $5, email = $6, verify_tls = $7, insecure_http = $8,
                    ca_certificates = $9, is_active = $10, created_on = $11, updated_on = $12, protected_secret = $13,
                    version = version + 1
                WHERE account = $1 AND scope = $2 AND version = $14
                RETURNING version)
            SELECT updated.version, pg_notify($15, $16) FROM updated
            """;

        // $3, $4: channel, payload.
        Delete = $"""
            WITH deleted AS (
                DELETE FROM {table} WHERE account = $1 AND scope = $2 RETURNING version)
            SELECT deleted.version, pg_notify($3, $4) FROM deleted
            """;

        // $3: expected version; $4, $5: channel, payload.
        DeleteExpected = $"""
            WITH deleted AS (
                DELETE FROM {table} WHERE account = $1 AND scope = $2 AND version = $3 RETURNING version)
            SELECT deleted.version, pg_notify($4, $5) FROM deleted
            """;
    }

    public string Get { get; }

    public string ListAll { get; }

    public string ListAccount { get; }

    public string Version { get; }

    public string KeyIds { get; }

    public string LockKeyIds { get; }

    public string ReplaceKeyIds { get; }

    public string Add { get; }

    public string Update { get; }

    public string Delete { get; }

    public string DeleteExpected { get; }
}
