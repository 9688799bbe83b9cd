using System.Runtime.InteropServices;

namespace RegistryCredentials.Cli.Lookup;

/// <summary>The three C library calls that replace this process with regcred (glibc, linux-x64 and linux-arm64).</summary>
internal static partial class LibC
{
    /// <summary><c>MFD_CLOEXEC</c>: the in-memory file's own descriptor closes on exec (its copy on fd 0 stays open).</summary>
    public const uint MemfdCloseOnExec = 1;

    private const string Library = "libc";

    /// <summary><c>memfd_create(2)</c>: an anonymous in-memory file.</summary>
    [LibraryImport(Library, EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    /// <summary><c>dup2(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

    /// <summary><c>execv(3)</c>: <paramref name="argv"/> holds pointers to NUL-terminated strings and ends with a null pointer.</summary>
    [LibraryImport(Library, EntryPoint = "execv", SetLastError = true)]
    public static partial int Execv(nint path, nint[] argv);
}
