using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// Docker's representation of a credential. An identity token travels in the helper protocol as the user name
/// <c>&lt;token&gt;</c> with the token as secret; regcred stores such a credential as a <c>docker_v2</c> entry whose user
/// name is <c>&lt;token&gt;</c>, and turns it back into an identity token wherever Docker's formats have one.
/// </summary>
internal static class DockerCredentialForm
{
    public const string IdentityTokenUsername = "<token>";

    public static bool IsIdentityToken(RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential.Kind == RegistryCredentialKind.IdentityToken
            || (credential.Kind == RegistryCredentialKind.UsernamePassword && credential.Username == IdentityTokenUsername);
    }

    /// <summary>The user name and secret of the helper protocol.</summary>
    /// <exception cref="RegcredException">A registry (bearer) token, which the protocol cannot carry.</exception>
    public static (string Username, string Secret) ForHelper(RegistryCredential credential, string registry)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential.Kind switch
        {
            RegistryCredentialKind.UsernamePassword => (credential.Username!, credential.Secret.Reveal()),
            RegistryCredentialKind.IdentityToken => (IdentityTokenUsername, credential.Secret.Reveal()),
            _ =>
                throw new RegcredException(
                    $"The credential for {registry} is a registry bearer token, which Docker's credential-helper protocol cannot carry."),
        };
    }
}
