namespace RegistryCredentials.PostgreSql;

/// <summary>
/// The database schema was migrated by a newer version of this package than the running one: the store refuses to use
/// it rather than misread or damage it. Upgrade the package on this node. Never transient.
/// </summary>
public sealed class PostgreSqlSchemaVersionException : PostgreSqlStoreException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PostgreSqlSchemaVersionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public PostgreSqlSchemaVersionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlSchemaVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a schema at a version newer than this package supports.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="databaseVersion">The version recorded in the database.</param>
    /// <param name="supportedVersion">The newest version this package knows.</param>
    public PostgreSqlSchemaVersionException(string schema, int databaseVersion, int supportedVersion)
        : base(
            $"The registry store schema '{schema}' is at version {databaseVersion}, newer than version {supportedVersion} "
            + $"that this version of RegistryCredentials.PostgreSql supports: upgrade the package; the schema was left untouched.",
            isTransient: false,
            sqlState: null,
            innerException: null)
    {
        Schema = schema;
        DatabaseVersion = databaseVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The schema, if known.</summary>
    public string? Schema { get; }

    /// <summary>The schema version recorded in the database.</summary>
    public int DatabaseVersion { get; }

    /// <summary>The newest schema version this package knows.</summary>
    public int SupportedVersion { get; }

    /// <summary>Always <see cref="RegistryErrorReason.StoreIncompatible"/>.</summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.StoreIncompatible;
}
