namespace RegistryCredentials.Google;

/// <summary>The user names a Google (<c>gcr</c>) entry may have; any other is refused when the entry is added.</summary>
public static class GoogleUsernames
{
    /// <summary><c>_json_key</c>: the password is a service-account key file (JSON), as Google's documentation describes.</summary>
    public const string JsonKey = "_json_key";

    /// <summary><c>_json_key_base64</c>: the password is a service-account key file, base64-encoded.</summary>
    public const string JsonKeyBase64 = "_json_key_base64";

    /// <summary>
    /// <c>oauth2accesstoken</c>: the password is an OAuth access token (such as <c>gcloud auth print-access-token</c>
    /// prints), passed to the registry as is; it expires after about an hour. Also the user name of exchanged tokens.
    /// </summary>
    public const string AccessToken = "oauth2accesstoken";

    /// <summary>
    /// <c>_dcgcr_auto</c>: the credential comes from Application Default Credentials, and the password is ignored (give
    /// any placeholder, such as <c>-</c>). Only with <see cref="GoogleOptions.AllowApplicationDefault"/>.
    /// </summary>
    public const string ApplicationDefault = "_dcgcr_auto";
}
