using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using RegistryCredentials.Shared;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>Maps <see cref="RegistryRecord"/>s to rows of <c>registry_entries</c> and back.</summary>
internal static class EntryRows
{
    /// <summary>Binds every column of an entry and its protected secret to a kept command (the version is set by the statement).</summary>
    /// <param name="command">The insert or update command.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="protectedSecret">The protected secret, stored as the bytes it is.</param>
    /// <returns>The command.</returns>
    public static SqliteCommand Bind(SqliteCommand command, RegistryEntry entry, ReadOnlyMemory<byte> protectedSecret) => command
        .With("$account", entry.Account)
        .With("$scope", entry.Scope.Value)
        .With("$name", entry.Name)
        .With("$type", entry.Type.Value)
        .With("$username", entry.Username)
        .With("$email", entry.Email)
        .With("$verify_tls", entry.VerifyTls ? 1L : 0L)
        .With("$insecure_http", entry.InsecureHttp ? 1L : 0L)
        .With("$ca_certificates", entry.CaCertificates)
        .With("$is_active", entry.IsActive ? 1L : 0L)
        .With("$created_on", FormatTime(entry.CreatedOn))
        .With("$updated_on", FormatTime(entry.UpdatedOn))
        .With("$protected_secret", ToArray(protectedSecret));

    /// <summary>Reads a row selected with <see cref="EntryColumns.All"/>.</summary>
    /// <param name="reader">The reader, on a row.</param>
    /// <param name="path">The database file, for errors.</param>
    /// <returns>The record.</returns>
    /// <exception cref="SqliteStoreException">The row does not hold a valid entry.</exception>
    public static RegistryRecord Read(SqliteDataReader reader, string path) => EntryColumns.Read(
        reader,
        static (row, ordinal) => ParseTime(row.GetString(ordinal)),
        path,
        static (path, account, scope, cause) =>
            SqliteFileProbe.Corrupt(path, $"the row for scope '{scope}' in account '{account}' does not hold a valid entry ({cause.Message})", cause));

    /// <summary>UTC, ISO 8601 with all seven fractional digits: sorts as text and round-trips every tick.</summary>
    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static byte[] ToArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
