namespace RegistryCredentials.Google;

/// <summary>
/// What went wrong with a Google credential (<see cref="RegistryProviderException{TKind}.Kind"/> of
/// <see cref="GoogleCredentialException"/>).
/// </summary>
public enum GoogleCredentialError
{
    /// <summary>Not given.</summary>
    Unspecified,

    /// <summary>The entry's user name is none of <see cref="GoogleUsernames"/>.</summary>
    UnsupportedUsername,

    /// <summary>
    /// The password is not a usable service-account key (not JSON or base64, wrong <c>type</c>, a missing field, a bad
    /// private key or token URI).
    /// </summary>
    InvalidKey,

    /// <summary>The entry uses Application Default Credentials, which <see cref="GoogleOptions.AllowApplicationDefault"/> does not allow.</summary>
    ApplicationDefaultNotAllowed,

    /// <summary>Application Default Credentials were allowed but none could be found or used on this machine.</summary>
    ApplicationDefaultUnavailable,

    /// <summary>The token endpoint refused the request, could not be reached, timed out or answered without a usable token.</summary>
    TokenRequestFailed,
}
