using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Lookup;

/// <summary>
/// Hands the command to the full regcred: this process is replaced (<c>execv</c>) by the <c>regcred</c> executable in the
/// folder of this one (its real path: symlinks such as <c>docker-credential-regcred</c> are resolved), with the same
/// arguments byte for byte, argv[0] included (a <c>docker-credential-*</c> name keeps regcred in the helper protocol), the
/// same environment and the same standard input: untouched when nothing was read from it yet, else replayed from an
/// in-memory file that holds what was read and the rest (<see cref="RecordedInput"/>). Nothing was written to stdout
/// before, so what the caller reads is regcred's answer alone, and the exit code is regcred's.
/// </summary>
internal static class FullCommand
{
    public const string RegcredFileName = "regcred";

    /// <summary>This process's standard input (set once, at start).</summary>
    public static RecordedInput? Input { get; set; }

    /// <summary>The regcred executable beside this one.</summary>
    public static string RegcredPath()
    {
        var self = Environment.ProcessPath ?? throw new RegcredException("The path of this executable is unknown, so regcred cannot be found beside it.");
        var real = File.ResolveLinkTarget(self, returnFinalTarget: true)?.FullName ?? self;
        return Path.Combine(Path.GetDirectoryName(real)!, RegcredFileName);
    }

    /// <summary>Replaces this process with regcred. Returns only when that failed, with the error to report.</summary>
    public static RegcredException ReplaceProcess()
    {
        var regcred = RegcredPath();
        if (!File.Exists(regcred))
        {
            return new RegcredException(
                RegistryErrorReason.NotFound,
                $"This command needs the full regcred, which regcred-lookup looks for beside itself: there is no {regcred}. "
                + "Install both executables of ./build.sh publish in one folder.");
        }

        var arguments = Arguments();
        var handles = new List<nint>();
        try
        {
            if (Input is { IsTouched: true } input && !ReplayInput(input.ReadAllFromStart(), out var error))
            {
                return error;
            }

            var path = Native(regcred, handles);
            var argv = new nint[arguments.Count + 1];
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i] = Native(arguments[i], handles);
            }

            LibC.Execv(path, argv);
            return new RegcredException($"regcred could not be started ({regcred}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}).");
        }
        finally
        {
            foreach (var handle in handles)
            {
                Marshal.FreeHGlobal(handle);
            }
        }
    }

    /// <summary>This process's arguments as the kernel holds them (<c>/proc/self/cmdline</c>), argv[0] first.</summary>
    private static List<byte[]> Arguments()
    {
        var arguments = new List<byte[]>();
        byte[] cmdline;
        try
        {
            cmdline = File.ReadAllBytes("/proc/self/cmdline");
        }
        catch (IOException)
        {
            cmdline = [];
        }
        catch (UnauthorizedAccessException)
        {
            cmdline = [];
        }

        if (cmdline.Length == 0)
        {
            return [.. Environment.GetCommandLineArgs().Select(Encoding.UTF8.GetBytes)];
        }

        var start = 0;
        for (var i = 0; i < cmdline.Length; i++)
        {
            if (cmdline[i] == 0)
            {
                arguments.Add(cmdline[start..i]);
                start = i + 1;
            }
        }

        return arguments;
    }

    /// <summary>Puts <paramref name="bytes"/> on fd 0, in an in-memory file read from its start.</summary>
    private static bool ReplayInput(byte[] bytes, out RegcredException error)
    {
        error = null!;
        var fd = LibC.MemfdCreate("regcred-stdin", LibC.MemfdCloseOnExec);
        if (fd < 0)
        {
            error = new RegcredException($"The input could not be passed on to regcred (memfd_create: {LastError()}).");
            return false;
        }

        // Not owned: fd closes on exec (MFD_CLOEXEC), and fd 0, its copy, stays open for regcred.
        using (var file = new SafeFileHandle(fd, ownsHandle: false))
        {
            RandomAccess.Write(file, bytes, 0); // pwrite: the file offset stays at 0, where regcred starts reading
        }

        if (LibC.Dup2(fd, 0) < 0)
        {
            error = new RegcredException($"The input could not be passed on to regcred (dup2: {LastError()}).");
            return false;
        }

        return true;
    }

    private static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    private static nint Native(string text, List<nint> handles) => Native(Encoding.UTF8.GetBytes(text), handles);

    private static nint Native(byte[] bytes, List<nint> handles)
    {
        var pointer = Marshal.AllocHGlobal(bytes.Length + 1);
        handles.Add(pointer);
        Marshal.Copy(bytes, 0, pointer, bytes.Length);
        Marshal.WriteByte(pointer, bytes.Length, 0);
        return pointer;
    }
}
