using Microsoft.Win32.SafeHandles;

namespace RegistryCredentials.Cli.Lookup;

/// <summary>
/// Standard output or error written synchronously, also when asked asynchronously (see <see cref="RecordedInput"/>: no
/// thread-pool work item, so the pool's threads are never started for one answer). Write-only, not seekable.
/// </summary>
internal sealed class SynchronousOutput : Stream
{
    /// <summary>The <c>EPIPE</c> error number: the reader of the pipe has gone.</summary>
    private const int BrokenPipe = 32;

    private readonly Stream _inner;

    public SynchronousOutput(Stream inner) => _inner = inner;

    /// <summary>
    /// Standard output (1) or error (2) as an unbuffered file stream on the descriptor. Console's own streams start the
    /// console's terminal and signal handling (a thread of its own) on their first write, which one answer does not need.
    /// As with Console's streams, a reader that has gone (<c>EPIPE</c>) is not an error; when the descriptor is not open,
    /// Console's stream is used.
    /// </summary>
    /// <param name="descriptor">1 or 2.</param>
    /// <returns>The stream.</returns>
    public static SynchronousOutput OpenStandard(int descriptor)
    {
        try
        {
            return new SynchronousOutput(new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new SynchronousOutput(descriptor == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError());
        }
    }

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
        try
        {
            _inner.Write(buffer);
        }
        catch (IOException e) when (e.HResult == BrokenPipe)
        {
            // The reader closed its end: what is left to say has no one to read it (Console's streams drop it too).
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        _inner.Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
