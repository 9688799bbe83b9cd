namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// Writes <c>docker-credential-regcred</c>, the two-line wrapper Docker, Podman and skopeo run for
/// <c>"credHelpers": {"host": "regcred"}</c>: <c>#!/bin/sh</c> and <c>exec … helper "$@"</c>, mode 0755.
/// </summary>
internal static class HelperInstaller
{
    public const string FileName = CredentialHelperProtocol.Name;

    /// <summary>The small executable of the lookups, installed beside a native regcred.</summary>
    public const string LookupFileName = "regcred-lookup";

    /// <summary>Writes the wrapper into <paramref name="directory"/> (created when missing) and returns its path.</summary>
    /// <param name="directory">The folder; should be on PATH.</param>
    /// <param name="globalArguments">
    /// Options to bake in before <c>helper</c> (<c>--store</c>, <c>--key-file</c>, <c>--account</c> when given
    /// explicitly).
    /// </param>
    public static string Install(string directory, IReadOnlyList<string> globalArguments)
    {
        ArgumentNullException.ThrowIfNull(globalArguments);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(Path.GetFullPath(directory), FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Script(CommandPrefix(), globalArguments));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(
                temporary,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public static string Script(IReadOnlyList<string> command, IReadOnlyList<string> globalArguments) =>
        "#!/bin/sh\nexec " + string.Join(' ', command.Concat(globalArguments).Append("helper").Select(Quote)) + " \"$@\"\n";

    /// <summary>
    /// How to start this regcred again: the apphost (or dotnet tool shim) itself, or <c>dotnet regcred.dll</c>; and where
    /// regcred-lookup is installed beside it (<c>./build.sh publish</c>), that: it answers <c>helper get</c> with a fraction of
    /// regcred's start-up and hands every other action to regcred.
    /// </summary>
    public static IReadOnlyList<string> CommandPrefix()
    {
        var process = Environment.ProcessPath;
        var assembly = Path.Combine(AppContext.BaseDirectory, "regcred.dll");
        if (process is null || string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal))
        {
            return [process ?? "dotnet", assembly];
        }

        var lookup = Path.Combine(Path.GetDirectoryName(process) ?? ".", LookupFileName);
        return File.Exists(lookup) ? [lookup] : [process];
    }

    /// <summary>POSIX shell single quoting.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
