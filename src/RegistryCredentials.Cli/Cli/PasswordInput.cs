
namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// Where a password comes from: <c>--password-stdin</c> (everything on stdin, one trailing line break removed, so a
/// multi-line JSON key file works; valid UTF-8, at most 64 KiB) or the <c>REGCRED_REGISTRY_PASSWORD</c> environment
/// variable, or anchorectl's <c>ANCHORECTL_REGISTRY_PASSWORD</c> (as Anchore's documentation writes the commands); when
/// both are set, regcred's own wins. Never an argument.
/// </summary>
internal static class PasswordInput
{
    public const string EnvironmentVariable = "REGCRED_REGISTRY_PASSWORD";

    /// <summary>anchorectl's variable, accepted so that Anchore's documented commands work as written.</summary>
    public const string AnchorectlVariable = "ANCHORECTL_REGISTRY_PASSWORD";

    /// <summary>The password, or null when neither source gives one.</summary>
    public static RegistrySecret? Read(Terminal terminal, bool fromStdin)
    {
        if (fromStdin)
        {
            // Bounded: at most 64 KiB (and a line break) is read, however much is piped.
            var text = TrimOneLineBreak(BoundedInput.ReadAll(terminal.In, BoundedInput.MaxPasswordChars, "The password on stdin"));
            if (text.Length == 0)
            {
                throw new RegcredException("--password-stdin read an empty password.");
            }

            return RegistrySecret.FromString(text);
        }

        var name = EnvironmentVariable;
        var variable = terminal.Variable(name);
        if (variable is null)
        {
            name = AnchorectlVariable;
            variable = terminal.Variable(name);
        }

        return variable is null ? null : RegistrySecret.FromString(BoundedInput.RequireDecoded(variable, name));
    }

    /// <summary>The password, or a usage error naming both sources.</summary>
    public static RegistrySecret ReadRequired(Terminal terminal, bool fromStdin) =>
        Read(terminal, fromStdin)
        ?? throw new RegcredException(
            $"No password: set {EnvironmentVariable} (or {AnchorectlVariable}) or pipe it with --password-stdin (passwords are never taken from arguments).");

    /// <summary>Removes one trailing <c>\n</c> (or <c>\r\n</c>), as <c>echo</c> and editors add; keeps everything else.</summary>
    public static string TrimOneLineBreak(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;
}
