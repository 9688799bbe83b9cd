namespace RegistryCredentials;

/// <summary>
/// The one shape of a provider's exception: <see cref="Kind"/>, the provider's detailed kind of failure, decides the
/// <see cref="RegistryCredentialsException.Reason"/> (<see cref="ReasonOf"/>) unless the throw site gives a reason the
/// kind alone does not tell. The message never holds a secret.
/// </summary>
/// <typeparam name="TKind">The provider's enumeration of failures.</typeparam>
/// <example>
/// <code>
/// public sealed class QuayCredentialException : RegistryProviderException&lt;QuayCredentialError&gt;
/// {
///     public QuayCredentialException(QuayCredentialError kind, string message, Exception? innerException = null)
///         : base(kind, message, innerException)
///     {
///     }
///
///     protected override RegistryErrorReason ReasonOf(QuayCredentialError kind) =>
///         kind == QuayCredentialError.InvalidToken ? RegistryErrorReason.InvalidEntry : RegistryErrorReason.Unauthorized;
/// }
/// </code>
/// </example>
public abstract class RegistryProviderException<TKind> : RegistryProviderException
    where TKind : struct, Enum
{
    private readonly RegistryErrorReason? _reason;

    /// <summary>Creates the exception for a failure of a known kind.</summary>
    /// <param name="kind">What kind of failure it is.</param>
    /// <param name="message">What happened, without secrets; null for the default message.</param>
    /// <param name="innerException">The cause, if any (never one whose message could hold a secret).</param>
    /// <param name="reason">The failure in the one failure model when the kind alone does not tell it; null for <see cref="ReasonOf"/>.</param>
    protected RegistryProviderException(TKind kind, string? message, Exception? innerException, RegistryErrorReason? reason = null)
        : base(message, innerException)
    {
        Kind = kind;
        _reason = reason;
    }

    /// <summary>What kind of failure it is, in the provider's own terms.</summary>
    public TKind Kind { get; }

    /// <inheritdoc />
    public sealed override string KindName => RegistryTokenTelemetry.SnakeCase(Kind);

    /// <summary>
    /// The failure in the one failure model: the reason given where the exception was thrown, otherwise
    /// <see cref="ReasonOf"/> of <see cref="Kind"/>.
    /// </summary>
    public override RegistryErrorReason Reason => _reason ?? ReasonOf(Kind);

    /// <summary>The reason a failure of <paramref name="kind"/> has when the throw site gave none.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <returns>The reason.</returns>
    protected abstract RegistryErrorReason ReasonOf(TKind kind);
}
