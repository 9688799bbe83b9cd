using System.Reflection;

namespace RegistryCredentials.Cli.Tests.Support;

/// <summary>
/// regcred and regcred-lookup installed side by side, as <c>./build.sh publish</c> lays them out: one folder with both
/// executables and <c>docker-credential-regcred</c>, a symlink to regcred-lookup. By default the folder is assembled from
/// the two framework-dependent builds (their apphosts share the library assemblies of regcred's output); with
/// <c>REGCRED_TEST_INSTALL_DIR</c> it is that folder (e.g. <c>artifacts/regcred/linux-x64</c>, the Native AOT pair).
/// </summary>
public sealed class LookupInstall : IDisposable
{
    private readonly string? _temporary;

    private LookupInstall(string directory, string? temporary)
    {
        Directory = directory;
        _temporary = temporary;
    }

    public string Directory { get; }

    /// <summary>The full regcred.</summary>
    public string Regcred => Path.Combine(Directory, "regcred");

    /// <summary>The small executable of the lookups.</summary>
    public string Lookup => Path.Combine(Directory, "regcred-lookup");

    /// <summary>The Docker credential helper: a symlink to <see cref="Lookup"/>.</summary>
    public string Helper => Path.Combine(Directory, "docker-credential-regcred");

    /// <summary>The published folder of <c>REGCRED_TEST_INSTALL_DIR</c>, or a new folder assembled from the builds.</summary>
    public static LookupInstall Create()
    {
        if (Environment.GetEnvironmentVariable("REGCRED_TEST_INSTALL_DIR") is { Length: > 0 } published)
        {
            return new LookupInstall(Path.GetFullPath(published), null);
        }

        var regcredBuild = Path.GetDirectoryName(Sandbox.ToolPath)!;
        var lookupDll = typeof(LookupInstall).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RegcredLookupPath").Value!;
        Assert.That(File.Exists(lookupDll), Is.True, $"regcred-lookup {lookupDll} is not built");
        var root = System.IO.Directory.CreateTempSubdirectory("regcred-install-").FullName;
        var directory = Path.Combine(root, "bin");
        Copy(regcredBuild, directory);
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(lookupDll)!, "regcred-lookup*"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        }

        File.CreateSymbolicLink(Path.Combine(directory, "docker-credential-regcred"), "regcred-lookup");
        return new LookupInstall(directory, root);
    }

    /// <summary>A copy of this folder whose <c>regcred</c> is <paramref name="script"/> (a shell script), to see what is handed to it.</summary>
    public LookupInstall WithRegcredScript(string script)
    {
        var root = System.IO.Directory.CreateTempSubdirectory("regcred-install-").FullName;
        var directory = Path.Combine(root, "bin");
        Copy(Directory, directory);
        var regcred = Path.Combine(directory, "regcred");
        File.Delete(regcred);
        File.WriteAllText(regcred, "#!/bin/sh\n" + script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(regcred, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new LookupInstall(directory, root);
    }

    public void Dispose()
    {
        if (_temporary is not null)
        {
            System.IO.Directory.Delete(_temporary, recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                Copy(directory.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
