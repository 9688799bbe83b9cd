using System.Diagnostics;

namespace RegistryCredentials.Tests;

/// <summary>
/// The line-length rule of .editorconfig (<c>max_line_length = 160</c> for <c>*.cs</c>), which no compiler or analyzer
/// enforces: every C# file git tracks (or, outside a git checkout, every one below the repository but under
/// <c>obj/</c> and <c>bin/</c>) has lines of at most 160 characters.
/// </summary>
public class LineLengthTests
{
    private const int MaxLineLength = 160;

    [Test]
    public void Every_tracked_cs_line_is_at_most_160_characters()
    {
        var root = RepositoryRoot();
        Assert.That(
            File.ReadAllText(Path.Combine(root, ".editorconfig")),
            Does.Contain($"max_line_length = {MaxLineLength}"),
            ".editorconfig states the rule this test enforces");

        var files = CsFiles(root);
        var tooLong = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(Path.Combine(root, file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > MaxLineLength)
                {
                    tooLong.Add($"{file}:{i + 1} ({lines[i].Length} characters)");
                }
            }
        }

        Assert.That(files, Is.Not.Empty, "the repository's C# files were found");
        Assert.That(
            tooLong,
            Is.Empty,
            $"lines longer than {MaxLineLength} characters (.editorconfig max_line_length):{Environment.NewLine}"
            + string.Join(Environment.NewLine, tooLong));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RegistryCredentials.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No RegistryCredentials.sln above {TestContext.CurrentContext.TestDirectory}.");
    }

    /// <summary>The tracked *.cs files (paths relative to <paramref name="root"/>), from git, or from the file system without git.</summary>
    private static List<string> CsFiles(string root)
    {
        var fromGit = GitLsFiles(root);
        var files = fromGit ?? Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        return files
            .Where(f => !f.Replace('\\', '/').Split('/').Any(part => part is "obj" or "bin"))
            .Where(f => File.Exists(Path.Combine(root, f)))
            .ToList();
    }

    private static List<string>? GitLsFiles(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", root, "ls-files", "-z", "--", "*.cs"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd();
            git.StandardError.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
