using System.Buffers.Binary;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>What <see cref="SqliteFileProbe.Inspect"/> found at the path.</summary>
internal enum SqliteFileState
{
    /// <summary>No file: it will be created.</summary>
    Missing,

    /// <summary>A file of zero bytes: SQLite treats it as an empty database.</summary>
    Empty,

    /// <summary>A file with a plausible SQLite header; SQLite itself checks the rest.</summary>
    Database,
}

/// <summary>
/// Reads the 100-byte SQLite header of a file without SQLite, so that a text file, a truncated file or a file
/// damaged in its header is refused before SQLite opens it (and before anything could write to it).
/// </summary>
internal static class SqliteFileProbe
{
    private const int HeaderLength = 100;

    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>Inspects the file.</summary>
    /// <param name="path">The full path.</param>
    /// <returns>Whether the file is missing, empty, or looks like a SQLite database.</returns>
    /// <exception cref="SqliteStoreException">The file is not a SQLite database or is truncated.</exception>
    public static SqliteFileState Inspect(string path)
    {
        if (Directory.Exists(path))
        {
            throw new SqliteStoreException(path, SqliteStoreErrorKind.Unavailable, $"The registry database path '{path}' is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            return SqliteFileState.Missing;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        long length;
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            length = stream.Length;
            read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        }
        catch (IOException e)
        {
            throw new SqliteStoreException(path, SqliteStoreErrorKind.Unavailable, $"The registry database '{path}' cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SqliteStoreException(path, SqliteStoreErrorKind.Unavailable, $"The registry database '{path}' cannot be read: {e.Message}", e);
        }

        if (length == 0)
        {
            return SqliteFileState.Empty;
        }

        if (read < Magic.Length || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new SqliteStoreException(
                path,
                SqliteStoreErrorKind.NotADatabase,
                $"The file '{path}' is not a SQLite database, so it cannot be a registry database. "
                + $"It was left as it is; point the store at another path or move the file away.");
        }

        if (read < HeaderLength)
        {
            throw Truncated(path, $"it ends inside the {HeaderLength}-byte SQLite header ({length} bytes)");
        }

        var pageSize = (int)BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        if (pageSize == 1)
        {
            pageSize = 65536;
        }

        if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            throw Corrupt(path, $"its header names a page size of {pageSize} bytes");
        }

        if (length % pageSize != 0)
        {
            throw Truncated(path, $"its length, {length} bytes, is not a whole number of {pageSize}-byte pages");
        }

        // The page count in the header is valid when "version-valid-for" equals the change counter. When a write-ahead
        // log exists, a checkpoint may have been interrupted and the log still holds the pages: SQLite recovers that.
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header[92..]);
        if (validFor == changeCounter && pageCount > 0 && length < (long)pageCount * pageSize && !HasWriteAheadLog(path))
        {
            throw Truncated(path, $"its header says {pageCount} pages of {pageSize} bytes but the file has {length / pageSize}");
        }

        return SqliteFileState.Database;
    }

    private static bool HasWriteAheadLog(string path)
    {
        var wal = new FileInfo(path + "-wal");
        return wal.Exists && wal.Length > 0;
    }

    public static SqliteStoreException Truncated(string path, string why) => new(
        path,
        SqliteStoreErrorKind.Corrupt,
        $"The registry database '{path}' is truncated: {why}. It was left as it is; restore it from a backup or move it away.");

    public static SqliteStoreException Corrupt(string path, string why, Exception? cause = null) => new(
        path,
        SqliteStoreErrorKind.Corrupt,
        $"The registry database '{path}' is damaged: {why}. It was left as it is; restore it from a backup or move it away.",
        cause);
}
