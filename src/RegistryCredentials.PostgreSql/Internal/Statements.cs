using RegistryCredentials.Shared;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// The statements of one store, built once for its schema. Every write notifies the channel in the same statement
/// (so in the same transaction): the notification goes out exactly when the change commits, and only if it did.
/// </summary>
internal sealed class Statements
{
    private const string Columns = EntryColumns.All;

    public Statements(string schema, int retentionSeconds)
    {
        var table = Identifier.Quote(schema) + ".entries";
        var revision = Identifier.Quote(schema) + ".revision";
        var changes = Identifier.Quote(schema) + ".changes";

        // Raises the counter once a row changed (the entry's row lock first, then the counter's, in every writer, so no
        // deadlock; the counter's lock, held to commit, makes changes commit in revision order), logs the change, trims
        // the feed by age, and puts the revision at the end of the notification payload.
        string Feed(string changed, string payload) => $"""
            , rev AS (
                UPDATE {revision} SET revision = revision + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM {changed})
                RETURNING revision),
            logged AS (
                INSERT INTO {changes} (revision, account, scope) SELECT rev.revision, $1, $2 FROM rev),
            trimmed AS (
                DELETE FROM {changes} WHERE changed_on < now() - interval '{retentionSeconds} seconds' AND EXISTS (SELECT 1 FROM rev))
            SELECT {changed}.version, rev.revision, pg_notify({payload} || ' ' || rev.revision::text) FROM {changed}, rev
            """;

        Revision = $"SELECT revision FROM {revision} WHERE id = 1";

        // $1: after. One statement, so one snapshot: the revision, the oldest change kept, the entries changed after $1 as
        // they now are (their columns null when deleted; kind 0) and the accounts whose policy changed after $1 with the
        // policy as it now is (kind 1, its columns at the end); one row with only the head when nothing changed.
        var policies = Identifier.Quote(schema) + ".policies";
        ChangesAfter = $"""
            WITH head AS (
                SELECT r.revision, (SELECT min(revision) FROM {changes}) AS oldest FROM {revision} AS r WHERE r.id = 1),
            c AS (
                SELECT account, scope, max(revision) AS revision FROM {changes} WHERE revision > $1 AND kind = 0 GROUP BY account, scope),
            pc AS (
                SELECT account, max(revision) AS revision FROM {changes} WHERE revision > $1 AND kind = 1 GROUP BY account),
            changed AS (
                SELECT c.account, c.scope, e.name, e.type, e.username, e.email, e.verify_tls, e.insecure_http, e.ca_certificates,
                       e.is_active, e.created_on, e.updated_on, e.version, e.protected_secret, c.revision, 0 AS kind,
                       NULL::text AS policy_default, NULL::text[] AS policy_allowed, NULL::timestamptz AS policy_updated,
                       NULL::bigint AS policy_version
                FROM c LEFT JOIN {table} AS e ON e.account = c.account AND e.scope = c.scope
                UNION ALL
                SELECT pc.account, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, pc.revision, 1,
                       p.default_registry, p.allowed_registries, p.updated_on, p.version
                FROM pc LEFT JOIN {policies} AS p ON p.account = pc.account)
            SELECT changed.account, changed.scope, changed.name, changed.type, changed.username, changed.email, changed.verify_tls,
                   changed.insecure_http, changed.ca_certificates, changed.is_active, changed.created_on, changed.updated_on,
                   changed.version, changed.protected_secret, changed.revision, head.revision, head.oldest, changed.kind,
                   changed.policy_default, changed.policy_allowed, changed.policy_updated, changed.policy_version
            FROM head LEFT JOIN changed ON true
            ORDER BY changed.revision
            """;
        Get = $"SELECT {Columns} FROM {table} WHERE account = $1 AND scope = $2";
        ListAll = $"SELECT {Columns} FROM {table} ORDER BY account COLLATE \"C\", scope COLLATE \"C\"";
        ListAccount = $"SELECT {Columns} FROM {table} WHERE account = $1 ORDER BY scope COLLATE \"C\"";
        Version = $"SELECT version FROM {table} WHERE account = $1 AND scope = $2";

        // The entries that can match a pull from one registry (IRegistryHostQuery), in two parts that each read through an
        // index, so that the query reads the rows it returns and not every entry: the scope is the registry itself or lies
        // in the range of its paths ('host[:port]/' up to 'host[:port]0', '0' following '/' in the "C" collation), on the
        // (account, scope) key; or its host (before the first '/') holds a '*' label, through the partial index of those
        // scopes (schema version 7, whose WHERE is written here as there). The second part leaves out what the first
        // returns, so no row comes twice. $n: registry, paths, paths end. Both columns are "C", and so is the union's order.
        static string Scopes(int n) => $"(scope = ${n} OR (scope >= ${n + 1} AND scope < ${n + 2}))";
        static string Wildcards(int n) =>
            $"strpos(scope, '*') > 0 AND (strpos(scope, '/') = 0 OR strpos(scope, '*') < strpos(scope, '/')) AND NOT {Scopes(n)}";
        ForRegistryAll = $"SELECT {Columns} FROM {table} WHERE {Scopes(1)} UNION ALL SELECT {Columns} FROM {table} WHERE {Wildcards(1)}"
            + " ORDER BY account, scope";
        ForRegistryAccount = $"SELECT {Columns} FROM {table} WHERE account = $1 AND {Scopes(2)}"
            + $" UNION ALL SELECT {Columns} FROM {table} WHERE account = $1 AND {Wildcards(2)} ORDER BY scope";

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
            """ + Feed("inserted", "$14, $15");

        // $14: expected version; $15, $16: channel, payload.
        Update = $"""
            WITH updated AS (
                UPDATE {table}
                SET name = $3, type = $4, username = $5, email = $6, verify_tls = $7, insecure_http = $8,
                    ca_certificates = $9, is_active = $10, created_on = $11, updated_on = $12, protected_secret = $13,
                    version = version + 1
                WHERE account = $1 AND scope = $2 AND version = $14
                RETURNING version)
            """ + Feed("updated", "$15, $16");

        // $3, $4: channel, payload.
        Delete = $"""
            WITH deleted AS (
                DELETE FROM {table} WHERE account = $1 AND scope = $2 RETURNING version)
            """ + Feed("deleted", "$3, $4");

        // $3: expected version; $4, $5: channel, payload.
        DeleteExpected = $"""
            WITH deleted AS (
                DELETE FROM {table} WHERE account = $1 AND scope = $2 AND version = $3 RETURNING version)
            """ + Feed("deleted", "$4, $5");
    }

    public string Revision { get; }

    public string ChangesAfter { get; }

    public string Get { get; }

    public string ListAll { get; }

    public string ListAccount { get; }

    /// <summary>The host query of every account; $1..$3: registry, its paths' start ('host[:port]/') and end ('host[:port]0').</summary>
    public string ForRegistryAll { get; }

    /// <summary>The host query of one account; $1: account, $2..$4 as <see cref="ForRegistryAll"/>.</summary>
    public string ForRegistryAccount { get; }

    public string Version { get; }

    public string KeyIds { get; }

    public string LockKeyIds { get; }

    public string ReplaceKeyIds { get; }

    public string Add { get; }

    public string Update { get; }

    public string Delete { get; }

    public string DeleteExpected { get; }
}
