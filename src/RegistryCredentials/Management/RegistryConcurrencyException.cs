namespace RegistryCredentials;

/// <summary>An update or delete named an expected version, and the stored entry has another: somebody else changed it first. Read it again and retry.</summary>
public sealed class RegistryConcurrencyException : RegistryConflictException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryConcurrencyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an entry whose version differs from the expected one.</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="expectedVersion">The version the caller expected.</param>
    /// <param name="actualVersion">The version stored.</param>
    public RegistryConcurrencyException(string account, RegistryScope scope, long expectedVersion, long actualVersion)
        : base(
            account,
            scope,
            $"Registry entry {scope} in account '{account}' is at version {actualVersion}, not the "
            + $"expected {expectedVersion}: it was changed by somebody else; read it again and retry.")
    {
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The version the caller expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored.</summary>
    public long ActualVersion { get; }

    /// <summary>Always <see cref="RegistryErrorReason.Concurrency"/>.</summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.Concurrency;
}
