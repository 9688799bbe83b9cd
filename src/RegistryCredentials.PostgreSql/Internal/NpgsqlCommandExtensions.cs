using Npgsql;
using NpgsqlTypes;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>Appends the next positional parameter (<c>$1</c>, <c>$2</c>, …) to a command, typed as the column it is for.</summary>
internal static class NpgsqlCommandExtensions
{
    public static NpgsqlCommand WithText(this NpgsqlCommand command, string value) =>
        command.With(new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text });

    public static NpgsqlCommand WithNullableText(this NpgsqlCommand command, string? value) =>
        command.With(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

    public static NpgsqlCommand WithTextArray(this NpgsqlCommand command, string[] value) =>
        command.With(new NpgsqlParameter<string[]> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

    public static NpgsqlCommand WithBigint(this NpgsqlCommand command, long value) =>
        command.With(new NpgsqlParameter<long> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint });

    public static NpgsqlCommand WithBoolean(this NpgsqlCommand command, bool value) =>
        command.With(new NpgsqlParameter<bool> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Boolean });

    public static NpgsqlCommand WithTimestamp(this NpgsqlCommand command, DateTimeOffset value) =>
        command.With(new NpgsqlParameter<DateTimeOffset> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz });

    public static NpgsqlCommand WithBytea(this NpgsqlCommand command, ReadOnlyMemory<byte> value) =>
        command.With(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bytea });

    private static NpgsqlCommand With(this NpgsqlCommand command, NpgsqlParameter parameter)
    {
        command.Parameters.Add(parameter);
        return command;
    }
}
