using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.StoreClient;

/// <summary>
/// A custom <see cref="IRegistryStore"/> as a user might write one: everything in one JSON file, each operation a
/// read-modify-write under an exclusive lock file (so several processes may share it), written to a temporary file and
/// renamed over the old one. Other processes' changes are seen by watching the folder. Not built for speed.
/// </summary>
public sealed class FileRegistryStore : IRegistryStore, IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _lockPath;
    private readonly FileSystemWatcher _watcher;

    // The core's change signal, as any custom store may use it: revisions are the file's own counter.
    private readonly RegistryChangeSignal _signal = new();

    /// <summary>Creates the store on a file; the file is created by the first write.</summary>
    /// <param name="path">The JSON file.</param>
    public FileRegistryStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _lockPath = Path + ".lock";
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        _signal.SetBaseline(0);
        _watcher = new FileSystemWatcher(folder, System.IO.Path.GetFileName(Path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => OnFileEvent();
        _watcher.Created += (_, _) => OnFileEvent();
        _watcher.Renamed += (_, _) => OnFileEvent();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The JSON file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default) =>
        Run(false, data => data.Records.FirstOrDefault(r => r.Account == account && r.Scope == scope.Value)?.ToRecord(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<RegistryRecord>>(
            false,
            data =>
            [
                .. data.Records
                    .Where(r => account is null || r.Account == account)
                    .OrderBy(r => r.Account, StringComparer.Ordinal)
                    .ThenBy(r => r.Scope, StringComparer.Ordinal)
                    .Select(r => r.ToRecord()),
            ],
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Entry;
        return Run(true, data =>
        {
            if (data.Records.Any(r => r.Account == entry.Account && r.Scope == entry.Scope.Value))
            {
                throw new RegistryConflictException(entry.Account, entry.Scope);
            }

            var stored = record.WithEntry(entry with { Version = 1 });
            data.Records.Add(StoredRecord.From(stored));
            return stored;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Entry;
        return Run(true, data =>
        {
            var index = data.Records.FindIndex(r => r.Account == entry.Account && r.Scope == entry.Scope.Value);
            if (index < 0)
            {
                throw new RegistryNotFoundException(entry.Account, entry.Scope);
            }

            if (data.Records[index].Version != expectedVersion)
            {
                throw new RegistryConcurrencyException(entry.Account, entry.Scope, expectedVersion, data.Records[index].Version);
            }

            var stored = record.WithEntry(entry with { Version = expectedVersion + 1 });
            data.Records[index] = StoredRecord.From(stored);
            return stored;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Run(true, data =>
        {
            var index = data.Records.FindIndex(r => r.Account == account && r.Scope == scope.Value);
            if (index < 0)
            {
                return false;
            }

            if (expectedVersion is { } expected && data.Records[index].Version != expected)
            {
                throw new RegistryConcurrencyException(account, scope, expected, data.Records[index].Version);
            }

            data.Records.RemoveAt(index);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<string>>(false, data => [.. data.KeyIds.Order(StringComparer.Ordinal)], cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReplaceKeyIdsAsync(
        IReadOnlyCollection<string> expected,
        IReadOnlyCollection<string> keyIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("A store's key ids are replaced by at least one.", nameof(keyIds));
        }

        return Run(true, data =>
        {
            if (!data.KeyIds.Order(StringComparer.Ordinal).SequenceEqual(expected.Distinct().Order(StringComparer.Ordinal)))
            {
                return false;
            }

            data.KeyIds = [.. keyIds.Distinct().Order(StringComparer.Ordinal)];
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public IChangeToken Watch() => _signal.Watch();

    /// <summary>Stops watching the folder and closes the change signal.</summary>
    public void Dispose()
    {
        _watcher.Dispose();
        _signal.Dispose();
    }

    /// <summary>One operation under the lock file; a write saves the file (only when <paramref name="body"/> returns).</summary>
    private ValueTask<T> Run<T>(bool write, Func<StoredData, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var fileLock = TakeLock(cancellationToken);
        var data = File.Exists(Path) ? JsonSerializer.Deserialize<StoredData>(File.ReadAllBytes(Path), Json) ?? new StoredData() : new StoredData();
        var result = body(data);
        if (write)
        {
            data.Revision++;
            _signal.SetBaseline(data.Revision); // before the file changes: its own file event must not fire again
            var temporary = Path + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(data, Json));
            File.Move(temporary, Path, overwrite: true);
            _signal.Fire(data.Revision);
        }

        return ValueTask.FromResult(result);
    }

    private FileStream TakeLock(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another process (or thread) holds it: try again shortly.
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>A file event: fires the token only for a revision this instance has not seen (its own writes come back late).</summary>
    private void OnFileEvent()
    {
        long revision;
        try
        {
            revision = File.Exists(Path) ? JsonSerializer.Deserialize<StoredData>(File.ReadAllBytes(Path), Json)?.Revision ?? 0 : 0;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            _signal.Fire(); // unreadable just now: assume a change
            return;
        }

        _signal.FireIfNewer(revision);
    }

    private sealed class StoredData
    {
        public long Revision { get; set; }

        public List<string> KeyIds { get; set; } = [];

        public List<StoredRecord> Records { get; set; } = [];
    }

    private sealed class StoredRecord
    {
        public required string Account { get; init; }

        public required string Scope { get; init; }

        public required string Name { get; init; }

        public required string Type { get; init; }

        public required string Username { get; init; }

        public string? Email { get; init; }

        public bool VerifyTls { get; init; }

        public bool InsecureHttp { get; init; }

        public string? CaCertificates { get; init; }

        public bool IsActive { get; init; }

        public DateTimeOffset CreatedOn { get; init; }

        public DateTimeOffset UpdatedOn { get; init; }

        public long Version { get; init; }

        public required byte[] ProtectedSecret { get; init; }

        public static StoredRecord From(RegistryRecord record)
        {
            var e = record.Entry;
            return new StoredRecord
            {
                Account = e.Account,
                Scope = e.Scope.Value,
                Name = e.Name,
                Type = e.Type.Value,
                Username = e.Username,
                Email = e.Email,
                VerifyTls = e.VerifyTls,
                InsecureHttp = e.InsecureHttp,
                CaCertificates = e.CaCertificates,
                IsActive = e.IsActive,
                CreatedOn = e.CreatedOn,
                UpdatedOn = e.UpdatedOn,
                Version = e.Version,
                ProtectedSecret = record.ProtectedSecret.ToArray(),
            };
        }

        public RegistryRecord ToRecord() => new(
            new RegistryEntry
            {
                Account = Account,
                Scope = RegistryScope.Parse(Scope),
                Name = Name,
                Type = RegistryType.Parse(Type),
                Username = Username,
                Email = Email,
                VerifyTls = VerifyTls,
                InsecureHttp = InsecureHttp,
                CaCertificates = CaCertificates,
                IsActive = IsActive,
                CreatedOn = CreatedOn,
                UpdatedOn = UpdatedOn,
                Version = Version,
            },
            ProtectedSecret);
    }
}
