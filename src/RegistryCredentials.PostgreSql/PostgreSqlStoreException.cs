namespace RegistryCredentials.PostgreSql;

/// <summary>
/// A PostgreSQL store call failed for a reason other than the entry itself (conflicts and missing entries keep their
/// own types): the server could not be reached or went away, a command timed out, the schema is not usable.
/// </summary>
/// <remarks>
/// When <see cref="IsTransient"/> is true, the connection was lost or the server was busy or restarting: the call may
/// succeed when retried. A write that failed this way may or may not have been committed, so read before retrying an
/// add or an update with an expected version.
/// </remarks>
public class PostgreSqlStoreException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PostgreSqlStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public PostgreSqlStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message, a cause and whether retrying may help.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="isTransient">True when retrying the call may succeed (connection lost, server restarting or busy).</param>
    /// <param name="sqlState">The PostgreSQL error code (SQLSTATE), if the server sent one.</param>
    /// <param name="innerException">The cause, or null.</param>
    public PostgreSqlStoreException(string message, bool isTransient, string? sqlState, Exception? innerException)
        : base(message, innerException!)
    {
        IsTransient = isTransient;
        SqlState = sqlState;
    }

    /// <summary>True when the failure is temporary (connection lost, server restarting or busy) and retrying may succeed.</summary>
    public override bool IsTransient { get; }

    /// <summary>
    /// <see cref="RegistryErrorReason.StoreUnavailable"/> (<see cref="RegistryErrorReason.StoreIncompatible"/> for a
    /// <see cref="PostgreSqlSchemaVersionException"/>).
    /// </summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.StoreUnavailable;

    /// <summary>The PostgreSQL error code (SQLSTATE, such as <c>57P01</c>), or null when the server sent none.</summary>
    public string? SqlState { get; }
}
