using Npgsql;
using RegistryCredentials.Shared;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>Maps <see cref="RegistryRecord"/>s to rows of <c>entries</c> and back.</summary>
internal static class EntryRows
{
    /// <summary>
    /// Appends the parameters <c>$1</c> to <c>$13</c>: every column of an entry but its version (set by the statement), and
    /// the protected secret, stored as the bytes it is.
    /// </summary>
    /// <param name="command">The insert or update command, with no parameter yet.</param>
    /// <param name="entry">The entry, as <see cref="Normalise"/> made it.</param>
    /// <param name="protectedSecret">The protected secret.</param>
    /// <returns>The command.</returns>
    public static NpgsqlCommand Bind(NpgsqlCommand command, RegistryEntry entry, ReadOnlyMemory<byte> protectedSecret) => command
        .WithText(entry.Account)
        .WithText(entry.Scope.Value)
        .WithText(entry.Name)
        .WithText(entry.Type.Value)
        .WithText(entry.Username)
        .WithNullableText(entry.Email)
        .WithBoolean(entry.VerifyTls)
        .WithBoolean(entry.InsecureHttp)
        .WithNullableText(entry.CaCertificates)
        .WithBoolean(entry.IsActive)
        .WithTimestamp(entry.CreatedOn)
        .WithTimestamp(entry.UpdatedOn)
        .WithBytea(protectedSecret);

    /// <summary>Reads a row selected with <see cref="EntryColumns.All"/>.</summary>
    /// <param name="reader">The reader, on a row.</param>
    /// <param name="schema">The store's schema, for errors.</param>
    /// <returns>The record.</returns>
    /// <exception cref="PostgreSqlStoreException">The row does not hold a valid entry.</exception>
    public static RegistryRecord Read(NpgsqlDataReader reader, string schema) => EntryColumns.Read(
        reader,
        static (row, ordinal) => row.GetFieldValue<DateTimeOffset>(ordinal),
        schema,
        static (schema, account, scope, cause) => new PostgreSqlStoreException(
            $"The stored entry '{scope}' in account '{account}' (schema '{schema}') cannot be read: {cause.Message}",
            isTransient: false,
            sqlState: null,
            cause));

    /// <summary>The entry with its times as <c>timestamptz</c> keeps them, so that what a write returns equals what a read gives.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The entry to store.</returns>
    public static RegistryEntry Normalise(RegistryEntry entry) => entry with
    {
        CreatedOn = ToStoredPrecision(entry.CreatedOn),
        UpdatedOn = ToStoredPrecision(entry.UpdatedOn),
    };

    /// <summary>UTC, truncated to the microsecond: what <c>timestamptz</c> keeps.</summary>
    private static DateTimeOffset ToStoredPrecision(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}
