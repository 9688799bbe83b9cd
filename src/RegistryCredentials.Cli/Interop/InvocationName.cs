using System.Text;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// The name the process was started under. Docker runs <c>docker-credential-&lt;name&gt;</c>; when that is a symlink to
/// the regcred executable, argv[0] keeps the link's name while .NET's own APIs report regcred.dll or the resolved apphost,
/// so argv[0] is read from <c>/proc/self/cmdline</c>.
/// </summary>
internal static class InvocationName
{
    public const string CredentialHelperPrefix = "docker-credential-";

    /// <summary>The file name of argv[0], or null when unknown.</summary>
    public static string? Detect()
    {
        try
        {
            if (File.Exists("/proc/self/cmdline"))
            {
                var bytes = File.ReadAllBytes("/proc/self/cmdline");
                var end = Array.IndexOf(bytes, (byte)0);
                var argv0 = Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
                if (argv0.Length > 0)
                {
                    return Path.GetFileName(argv0);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var args = Environment.GetCommandLineArgs();
        return args.Length > 0 ? Path.GetFileName(args[0]) : null;
    }

    public static bool IsCredentialHelper(string? name) =>
        name is not null && name.StartsWith(CredentialHelperPrefix, StringComparison.Ordinal);
}
