using System.Runtime.InteropServices;

namespace RegistryCredentials.Cli.Lookup;

/// <summary>
/// Standard output or error written synchronously with <c>write(2)</c> on the descriptor, also when asked asynchronously (see
/// <see cref="RecordedInput"/>: no thread-pool work item, so the pool's threads are never started for one answer).
/// Write-only, not seekable, unbuffered.
/// </summary>
/// <remarks>
/// Not Console's streams: they start the console's terminal and signal handling (a thread of its own) on their first
/// write, which one answer does not need. Not a <see cref="FileStream"/> either: on a regular file it writes at a position
/// of its own (from 0), over what the file held before, where <c>write(2)</c> writes at the descriptor's offset, as a
/// shell's <c>&gt;</c> and <c>&gt;&gt;</c> expect. As with Console's streams, a reader that has gone (<c>EPIPE</c>) is not
/// an error: what is left to say has no one to read it.
/// </remarks>
internal sealed class SynchronousOutput : Stream
{
    private const int Interrupted = 4; // EINTR
    private const int WouldBlock = 11; // EAGAIN
    private const int BrokenPipe = 32; // EPIPE

    private readonly int _descriptor;

    /// <param name="descriptor">1 (standard output) or 2 (standard error).</param>
    public SynchronousOutput(int descriptor) => _descriptor = descriptor;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = LibC.Write(_descriptor, buffer);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            var error = Marshal.GetLastPInvokeError();
            switch (error)
            {
                case Interrupted:
                    continue;
                case WouldBlock:
                    // A non-blocking descriptor whose pipe is full: wait until it can take more.
                    LibC.WaitWritable(_descriptor);
                    continue;
                case BrokenPipe:
                    return;
                default:
                    throw new IOException($"Writing to descriptor {_descriptor} failed: {Marshal.GetPInvokeErrorMessage(error)}.", error);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
