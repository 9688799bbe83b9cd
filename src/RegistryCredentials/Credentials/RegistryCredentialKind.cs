namespace RegistryCredentials;

/// <summary>What a <see cref="RegistryCredential"/> carries.</summary>
public enum RegistryCredentialKind
{
    /// <summary>A user name and password, sent as HTTP Basic or exchanged for a bearer token.</summary>
    UsernamePassword,

    /// <summary>An identity (refresh) token, exchanged at the registry's token endpoint for a bearer token.</summary>
    IdentityToken,

    /// <summary>A registry bearer token, sent as is.</summary>
    RegistryToken,
}
