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

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        IsTouched = true;
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        _read.Write(buffer.Span[..read]);
        return read;
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
