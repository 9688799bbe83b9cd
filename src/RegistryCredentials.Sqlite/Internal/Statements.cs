using RegistryCredentials.Shared;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// The statements of the data operations (<see cref="DataOperations"/>), with named parameters. Each is kept prepared
/// per connection (<see cref="StoreConnection.Command"/>).
/// </summary>
internal static class Statements
{
    private const string Columns = EntryColumns.All;

    public const string Get = "SELECT " + Columns + " FROM registry_entries WHERE account = $account AND scope = $scope";

    // BINARY collation compares UTF-8 bytes, which for the ASCII text of accounts and scopes is ordinal order.
    public const string ListAll = "SELECT " + Columns + " FROM registry_entries ORDER BY account, scope";

    public const string ListAccount = "SELECT " + Columns + " FROM registry_entries WHERE account = $account ORDER BY scope";

    // The entries that can match a pull from one registry (IRegistryHostQuery), in two parts that each use an index, so
    // that the query reads the rows it returns and not every entry: the scope is the registry itself or lies in the range
    // of its paths ($paths = 'host[:port]/', $pathsEnd = 'host[:port]0', '0' following '/'), through the (account, scope)
    // index; or its host (before the first '/') holds a '*' label, through the partial index of the scopes holding a '*'
    // (schema version 7; its WHERE is the first condition of the second part, which is what lets SQLite use it). The
    // second part leaves out what the first returns, so no row comes twice.
    private const string ForRegistryScopes = "(scope = $registry OR (scope >= $paths AND scope < $pathsEnd))";

    private const string ForRegistryWildcards =
        "instr(scope, '*') > 0 AND (instr(scope, '/') = 0 OR instr(scope, '*') < instr(scope, '/')) AND NOT " + ForRegistryScopes;

    public const string ForRegistryAll =
        "SELECT " + Columns + " FROM registry_entries WHERE " + ForRegistryScopes
        + " UNION ALL SELECT " + Columns + " FROM registry_entries WHERE " + ForRegistryWildcards
        + " ORDER BY account, scope";

    public const string ForRegistryAccount =
        "SELECT " + Columns + " FROM registry_entries WHERE account = $account AND " + ForRegistryScopes
        + " UNION ALL SELECT " + Columns + " FROM registry_entries WHERE account = $account AND " + ForRegistryWildcards
        + " ORDER BY scope";

    public const string Version = "SELECT version FROM registry_entries WHERE account = $account AND scope = $scope";

    /// <summary>The revision counter, raised by a trigger for every change of an entry.</summary>
    public const string Revision = "SELECT revision FROM registry_revision WHERE id = 1";

    /// <summary>The parameters of <see cref="EntryRows.Bind"/>; changes no row when the scope exists in the account.</summary>
    public const string Add = """
        INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates,
            is_active, created_on, updated_on, version, protected_secret)
        VALUES ($account, $scope, $name, $type, $username, $email, $verify_tls, $insecure_http, $ca_certificates,
            $is_active, $created_on, $updated_on, 1, $protected_secret)
        ON CONFLICT (account, scope) DO NOTHING
        """;

    /// <summary>The parameters of <see cref="EntryRows.Bind"/> and <c>$expected</c>, the expected version.</summary>
    public const string Update = """
        UPDATE registry_entries
        SET name = $name, type = $type, username = $username, email = $email, verify_tls = $verify_tls,
            insecure_http = $insecure_http, ca_certificates = $ca_certificates, is_active = $is_active,
            created_on = $created_on, updated_on = $updated_on, version = version + 1, protected_secret = $protected_secret
        WHERE account = $account AND scope = $scope AND version = $expected
        """;

    /// <summary><c>$expected</c> may be null: any version.</summary>
    public const string Delete = "DELETE FROM registry_entries WHERE account = $account AND scope = $scope AND ($expected IS NULL OR version = $expected)";

    /// <summary>The oldest change the feed still keeps (null when it keeps none).</summary>
    public const string OldestChange = "SELECT MIN(revision) FROM registry_changes";

    /// <summary>
    /// The entries changed after <c>$after</c>, each once with the revision of its last change, as they now are (the entry's
    /// columns null when it was deleted), in revision order. <see cref="EntryColumns.All"/>, then the revision.
    /// </summary>
    public const string ChangesAfter = """
        SELECT c.account, c.scope, e.name, e.type, e.username, e.email, e.verify_tls, e.insecure_http, e.ca_certificates,
               e.is_active, e.created_on, e.updated_on, e.version, e.protected_secret, c.revision
        FROM (SELECT account, scope, MAX(revision) AS revision FROM registry_changes WHERE revision > $after AND kind = 0 GROUP BY account, scope) AS c
        LEFT JOIN registry_entries AS e ON e.account = c.account AND e.scope = c.scope
        ORDER BY c.revision
        """;

    public const string KeyIds = "SELECT key_id FROM registry_secret_keys ORDER BY key_id";

    public const string InsertKeyId = "INSERT INTO registry_secret_keys (key_id, added_on) VALUES ($key_id, $added_on) ON CONFLICT (key_id) DO NOTHING";

    public const string DeleteKeyId = "DELETE FROM registry_secret_keys WHERE key_id = $key_id";
}
