namespace RegistryCredentials.Google;

/// <summary>
/// Options of the Google Container Registry / Artifact Registry provider (<see cref="GoogleCredentialProvider"/>). Set them
/// with <c>AddGoogle(o =&gt; …)</c> or bind them from the configuration section <see cref="SectionName"/>.
/// </summary>
public sealed class GoogleOptions
{
    /// <summary>The configuration section these options are usually bound from: <c>RegistryCredentials:Google</c>.</summary>
    public const string SectionName = "RegistryCredentials:Google";

    /// <summary>
    /// The default OAuth scope: <c>https://www.googleapis.com/auth/cloud-platform</c>, the scope docker-credential-gcr
    /// requests (its <c>GCRScopes</c>), so a token pushes as well as pulls; what it may do is still bounded by the
    /// account's IAM roles. Narrow it with <see cref="Scope"/>.
    /// </summary>
    public const string DefaultScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>
    /// False (the default): a service-account key (<c>_json_key</c>, <c>_json_key_base64</c>) is handed to the registry
    /// as HTTP Basic credentials, as Google's documentation describes. True: the key is exchanged through Google.Apis.Auth
    /// (service-account JWT flow) for an OAuth access token, handed out as user <c>oauth2accesstoken</c>; the token is
    /// cached and refreshed ahead of its expiry, so the key itself never reaches the registry.
    /// </summary>
    public bool ExchangeForAccessToken { get; set; }

    /// <summary>
    /// Allows entries with the user name <see cref="GoogleUsernames.ApplicationDefault"/> (<c>_dcgcr_auto</c>), whose
    /// credential comes from the machine's Application Default Credentials (<c>GOOGLE_APPLICATION_CREDENTIALS</c>, the
    /// gcloud user login, or the metadata server of a Google Cloud workload). Off by default: such an entry lets anyone
    /// who can add entries pull with the machine's identity. When off, such entries are refused on add and on resolve.
    /// </summary>
    public bool AllowApplicationDefault { get; set; }

    /// <summary>
    /// The OAuth scope (several separated by spaces) of exchanged access tokens and Application Default Credentials.
    /// Default <see cref="DefaultScope"/> (<c>cloud-platform</c>, as docker-credential-gcr: pull and push). To give the
    /// tokens pull rights only, narrow it to <c>https://www.googleapis.com/auth/devstorage.read_only</c>.
    /// </summary>
    public string Scope { get; set; } = DefaultScope;

    /// <summary>
    /// Where service-account JWT assertions are sent, overriding each key's <c>token_uri</c> (for example a Private
    /// Service Connect endpoint). Null (the default): the key's <c>token_uri</c>, or Google's token endpoint when the key
    /// has none. HTTPS only; plain HTTP is accepted only for a loopback address.
    /// </summary>
    public Uri? TokenUri { get; set; }

    /// <summary>How long one token request may take before it fails. Default 30 seconds.</summary>
    public TimeSpan TokenRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The HTTP client factory Google.Apis.Auth uses for token requests (for a proxy, or to trust a private CA in front of
    /// the token endpoint). Null (the default): Google.Apis.Auth's own factory.
    /// </summary>
    public global::Google.Apis.Http.IHttpClientFactory? HttpClientFactory { get; set; }
}
