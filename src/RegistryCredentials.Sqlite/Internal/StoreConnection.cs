using Microsoft.Data.Sqlite;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// One open SQLite connection with its per-connection settings applied once and its commands kept prepared.
/// Not thread-safe: one user at a time (the store's writer lock or reader pool ensures it).
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private StoreConnection(SqliteConnection connection, string path)
    {
        Connection = connection;
        Path = path;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The full path of the database file, for errors.</summary>
    public string Path { get; }

    /// <summary>Opens a connection without pooling (the store keeps its own), with the busy timeout and durability settings.</summary>
    /// <param name="path">The full path.</param>
    /// <param name="mode">Read-only, read-write, or read-write-create.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock.</param>
    /// <returns>The open connection.</returns>
    public static StoreConnection Open(string path, SqliteOpenMode mode, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            Cache = SqliteCacheMode.Private,

            // Microsoft.Data.Sqlite retries busy statements itself until this many seconds have passed.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var store = new StoreConnection(connection, path);
            var timeout = (long)Math.Clamp(busyTimeout.TotalMilliseconds, 1, int.MaxValue);

            // synchronous = FULL: an acknowledged write survives a power cut, not only a killed process.
            var pragmas = mode == SqliteOpenMode.ReadOnly
                ? $"PRAGMA busy_timeout = {timeout}; PRAGMA cell_size_check = ON;"
                : $"PRAGMA busy_timeout = {timeout}; PRAGMA cell_size_check = ON; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
            store.Execute(pragmas);
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Returns the prepared command for a statement, with its parameters kept for reuse.</summary>
    /// <param name="sql">The statement text.</param>
    /// <returns>The command.</returns>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>Runs statements that return nothing, not kept prepared.</summary>
    /// <param name="sql">The statements.</param>
    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement that returns one value, not kept prepared.</summary>
    /// <param name="sql">The statement.</param>
    /// <returns>The value, or null.</returns>
    public object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Rolls back an open transaction, if any, ignoring failures (the connection is then thrown away by the caller).</summary>
    /// <returns>True when the connection is still usable.</returns>
    public bool TryRollback()
    {
        try
        {
            if (!IsInTransaction)
            {
                return true;
            }

            Execute("ROLLBACK");
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Whether a transaction is open on the connection.</summary>
    public bool IsInTransaction => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
