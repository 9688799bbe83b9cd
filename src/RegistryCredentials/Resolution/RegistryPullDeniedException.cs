namespace RegistryCredentials;

/// <summary>
/// Thrown by the authenticating HTTP handler when the resolver denies a pull (registry not on the allow-list, entry
/// deactivated, no provider). <see cref="Resolution"/> says why.
/// </summary>
public sealed class RegistryPullDeniedException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryPullDeniedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryPullDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryPullDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a denied resolution.</summary>
    /// <param name="resolution">The resolution.</param>
    public RegistryPullDeniedException(RegistryResolution resolution)
        : base(resolution.Message)
    {
        Resolution = resolution;
    }

    /// <summary>The denied resolution.</summary>
    public RegistryResolution Resolution { get; }

    /// <summary>Always <see cref="RegistryErrorReason.PullDenied"/>.</summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.PullDenied;
}
