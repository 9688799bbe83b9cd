using System.Net.Sockets;
using Npgsql;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>Turns Npgsql's exceptions into <see cref="PostgreSqlStoreException"/>, deciding which are transient.</summary>
internal static class PostgreSqlErrors
{
    /// <summary>True for the exceptions the store translates: Npgsql's and the socket/stream errors under them.</summary>
    public static bool IsDatabaseError(Exception exception) =>
        exception is NpgsqlException or IOException or SocketException or TimeoutException;

    /// <summary>
    /// True when the connection to the server was lost or could not be made (as opposed to a server-side error on a
    /// live connection): idle pooled connections are then likely dead too.
    /// </summary>
    public static bool IsConnectionLoss(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException npgsql => npgsql.IsTransient,
        IOException or SocketException => true,
        _ => false,
    };

    /// <summary>True when retrying the failed call may succeed.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient
            || IsConnectionLoss(pg)
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources, too many connections
            || pg.SqlState.StartsWith("58", StringComparison.Ordinal) // system or I/O error
            || pg.SqlState is "40001" or "40P01" or "55P03" or "57014", // serialization, deadlock, lock not available, timeout
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    public static PostgreSqlStoreException Translate(Exception exception, string operation, string schema)
    {
        var transient = IsTransient(exception);
        var sqlState = (exception as PostgresException)?.SqlState;
        var cause = exception is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : exception.Message;
        var advice = transient
            ? " The connection was lost or the server is busy or restarting; retry the "
                + "call (a write may or may not have been committed: read before retrying it)."
            : string.Empty;
        return new PostgreSqlStoreException(
            $"The PostgreSQL registry store (schema '{schema}') could not {operation}: {cause}.{advice}",
            transient,
            sqlState,
            exception);
    }
}
