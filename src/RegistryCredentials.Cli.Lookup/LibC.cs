using System.Runtime.InteropServices;

namespace RegistryCredentials.Cli.Lookup;

/// <summary>
/// The C library calls of regcred-lookup (glibc, linux-x64 and linux-arm64): the three that replace this process with
/// regcred, and the two that write its answer (<see cref="SynchronousOutput"/>).
/// </summary>
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

    /// <summary><c>write(2)</c>: how many bytes were written, or -1 with the error number.</summary>
    /// <param name="descriptor">The file descriptor.</param>
    /// <param name="buffer">The bytes.</param>
    /// <returns>The count written, or -1.</returns>
    public static unsafe nint Write(int descriptor, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            return WriteCore(descriptor, bytes, (nuint)buffer.Length);
        }
    }

    /// <summary>Waits until <paramref name="descriptor"/> can be written to (<c>poll(2)</c> for <c>POLLOUT</c>, no timeout).</summary>
    /// <param name="descriptor">The file descriptor.</param>
    public static unsafe void WaitWritable(int descriptor)
    {
        // struct pollfd { int fd; short events; short revents; }; POLLOUT = 4.
        var poll = stackalloc int[2];
        poll[0] = descriptor;
        poll[1] = 4;
        _ = Poll(poll, 1, -1);
    }

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteCore(int descriptor, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(int* descriptors, nuint count, int timeoutMilliseconds);
}
