namespace RegistryCredentials.Cli.Lookup;

/// <summary>
/// Standard input that keeps every byte read from it, so that a command handed to regcred after its input was read gets
/// that input again, byte for byte (<see cref="FullCommand"/>). Read-only, not seekable.
/// </summary>
internal sealed class RecordedInput : Stream
{
    private readonly Stream _inner;
    private readonly MemoryStream _read = new();

    public RecordedInput(Stream inner) => _inner = inner;

    /// <summary>Whether anything was read (when nothing was, the process's standard input is passed on untouched).</summary>
    public bool IsTouched { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Everything standard input holds: the bytes read so far, then the rest, read to its end now.</summary>
    public byte[] ReadAllFromStart()
    {
        var buffer = new byte[16 * 1024];
        while (Read(buffer, 0, buffer.Length) > 0)
        {
        }

        return _read.ToArray();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        IsTouched = true;
        var read = _inner.Read(buffer);
        _read.Write(buffer[..read]);
        return read;
    }

    // Reads are synchronous, also when asked asynchronously: a process that answers one request has nothing else to do
    // while it waits for its input, and Stream's asynchronous read of the console stream queues a blocking read to the
    // thread pool, whose first work item starts the pool's gate and worker threads (perf: a tenth of a lookup's CPU).
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _read.Dispose();
        }

        base.Dispose(disposing);
    }
}
