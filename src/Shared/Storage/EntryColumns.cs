using System.Data.Common;

namespace RegistryCredentials.Shared;

/// <summary>
/// The columns of a stored entry, which every SQL store of this repository keeps alike, and reading a record from them.
/// </summary>
/// <remarks>
/// Shared source: compiled into each store package (SQLite, PostgreSQL) as an internal type, so that they read rows
/// with one piece of code without it becoming public API. What differs between the databases is passed in: how a
/// time column is kept, and the store's own error for a row that holds no valid entry.
/// </remarks>
internal static class EntryColumns
{
    /// <summary>The columns, in the order <see cref="Read"/> reads them; select them in this order.</summary>
    public const string All =
        "account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active, created_on, updated_on, version, protected_secret";

    /// <summary>Reads the record on the reader's current row, selected with <see cref="All"/>.</summary>
    /// <typeparam name="TState">What <paramref name="unreadable"/> needs to name the store.</typeparam>
    /// <param name="reader">The reader, on a row.</param>
    /// <param name="readTime">Reads a time column (<c>created_on</c>, <c>updated_on</c>) as the database keeps it.</param>
    /// <param name="state">Passed to <paramref name="unreadable"/>.</param>
    /// <param name="unreadable">
    /// The store's error for a row that does not hold a valid entry, given the state, the account and scope as stored,
    /// and the cause.
    /// </param>
    /// <returns>The record; an absent secret reads as empty.</returns>
    public static RegistryRecord Read<TState>(
        DbDataReader reader,
        Func<DbDataReader, int, DateTimeOffset> readTime,
        TState state,
        Func<TState, string, string, Exception, Exception> unreadable)
    {
        var account = reader.GetString(0);
        var scope = reader.GetString(1);
        try
        {
            var entry = new RegistryEntry
            {
                Account = account,
                Scope = RegistryScope.Parse(scope),
                Name = reader.GetString(2),
                Type = RegistryType.Parse(reader.GetString(3)),
                Username = reader.GetString(4),
                Email = reader.IsDBNull(5) ? null : reader.GetString(5),
                VerifyTls = reader.GetBoolean(6),
                InsecureHttp = reader.GetBoolean(7),
                CaCertificates = reader.IsDBNull(8) ? null : reader.GetString(8),
                IsActive = reader.GetBoolean(9),
                CreatedOn = readTime(reader, 10),
                UpdatedOn = readTime(reader, 11),
                Version = reader.GetInt64(12),
            };
            return new RegistryRecord(entry, reader.IsDBNull(13) ? [] : reader.GetFieldValue<byte[]>(13));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidCastException)
        {
            throw unreadable(state, account, scope, exception);
        }
    }
}
