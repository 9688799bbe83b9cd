namespace RegistryCredentials;

/// <summary>
/// The base of the exceptions provider packages throw (<c>AwsEcrException</c>, <c>GoogleCredentialException</c>,
/// <c>AzureCredentialException</c>): a <see cref="RegistryCredentialsException"/> whose
/// <see cref="RegistryCredentialsException.Reason"/> comes from the provider's own, more detailed kind of failure, which
/// it keeps as extra data. A provider derives its exception from <see cref="RegistryProviderException{TKind}"/>; catch
/// this type to handle any provider's failure without knowing its package.
/// </summary>
public abstract class RegistryProviderException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened, without secrets; null for the default message.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected RegistryProviderException(string? message, Exception? innerException)
        : base(message!, innerException!)
    {
    }

    /// <summary>
    /// The provider's kind of failure in lower snake case (<c>iam_role_auto_not_allowed</c>, <c>invalid_key</c>,
    /// <c>unauthorized</c>): the <c>error.type</c> its telemetry records (<see cref="RegistryTokenTelemetry"/>).
    /// </summary>
    public abstract string KindName { get; }
}
