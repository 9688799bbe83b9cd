using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using RegistryCredentials.Sqlite.Internal;
using static RegistryCredentials.Sqlite.Tests.SqliteTestRecords;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// <see cref="SqliteRegistryStoreOptions.ReadOnly"/>: the store reads what a normal store wrote, sees another store's
/// changes, refuses every write with a typed error (kind <see cref="SqliteStoreErrorKind.ReadOnly"/>) leaving the file as it
/// was, and never creates, migrates or switches a file; files a normal store refuses are refused with the same kinds.
/// </summary>
[TestFixture]
public sealed class SqliteReadOnlyStoreTests
{
    /// <summary>Every entry as the store keeps it (account, scope, version, user, ciphertext), one per line.</summary>
    private const string EntriesSnapshot = "SELECT group_concat(account || '|' || scope || '|' || version || '|' || username "
        + "|| '|' || hex(protected_secret), char(10)) FROM registry_entries";

    private static readonly string[] Allowed = ["reg-a.example.com", "*.reg-b.example.com"];

    private TempDatabase _db = null!;

    /// <summary>The writes a read-only store refuses, each run against a store that holds the entries of <see cref="CreateStoreAsync"/>.</summary>
    public static IEnumerable<TestCaseData> Writes()
    {
        yield return Write("Add", s => s.AddAsync(Record("new.example.com")).AsTask());
        yield return Write("Update", async s =>
        {
            var current = (await s.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg-a.example.com/team")))!;
            await s.UpdateAsync(current.WithEntry(current.Entry with { Username = "changed" }), current.Entry.Version);
        });
        yield return Write("Delete", s => s.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("reg-b.example.com")).AsTask());
        yield return Write("DeleteOfAMissingEntry", s => s.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("none.example.com")).AsTask());
        yield return Write("ReplaceKeyIds", async s => await s.ReplaceKeyIdsAsync(await s.GetKeyIdsAsync(), ["another-key"]));
        yield return Write("TrySetPolicy", async s =>
        {
            var current = (await s.GetPolicyAsync(RegistryAccounts.Default))!;
            await s.TrySetPolicyAsync(
                new RegistryPolicy { Account = RegistryAccounts.Default, DefaultRegistry = "other.example.com" }, current.Version);
        });
        yield return Write("TrySetPolicyOfANewAccount", s => s.TrySetPolicyAsync(
            new RegistryPolicy { Account = "team-b", AllowedRegistries = Allowed }, 0).AsTask());

        static TestCaseData Write(string name, Func<SqliteRegistryStore, Task> write) =>
            new TestCaseData(write).SetName($"A read-only store refuses {name} and changes no byte");
    }

    [SetUp]
    public void CreateFolder() => _db = new TempDatabase();

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        _db.Dispose();
    }

    [Test]
    public void ReadOnlyIsOffByDefault() => Assert.That(new SqliteRegistryStoreOptions().ReadOnly, Is.False);

    [Test]
    public async Task ItReadsEverythingANormalStoreWroteAndChangesNoByte()
    {
        await CreateStoreAsync();
        IReadOnlyList<RegistryRecord> list;
        IReadOnlyList<RegistryRecord> forRegistry;
        RegistryChangeSet changes;
        IReadOnlyList<string> keyIds;
        IReadOnlyList<RegistryPolicy> policies;
        long revision;
        await using (var writable = _db.Open())
        {
            (list, forRegistry, changes, keyIds, policies, revision) = (
                await writable.ListAsync(null),
                await writable.ListForRegistryAsync(RegistryAccounts.Default, "reg-a.example.com"),
                await writable.GetChangesAsync(0),
                await writable.GetKeyIdsAsync(),
                await writable.ListPoliciesAsync(),
                await writable.GetRevisionAsync());
        }

        var before = _db.AllBytes();
        var hash = TempDatabase.Sha256(_db.Path);
        await using (var store = OpenReadOnly())
        {
            var got = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg-a.example.com/team"));
            var readChanges = await store.GetChangesAsync(0);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Describe(got!), Is.EqualTo(Describe(list.Single(r => r.Entry.Scope.Value == "reg-a.example.com/team"))));
                Assert.That(Describe(await store.ListAsync(null)), Is.EqualTo(Describe(list)));
                Assert.That(list, Has.Count.EqualTo(3), "the test wrote three entries and deleted one");
                Assert.That(Describe(await store.ListAsync("team-b")), Is.EqualTo(Describe(list.Where(r => r.Entry.Account == "team-b"))));
                Assert.That(
                    Describe(await store.ListForRegistryAsync(RegistryAccounts.Default, "reg-a.example.com")),
                    Is.EqualTo(Describe(forRegistry)));
                Assert.That(forRegistry, Has.Count.EqualTo(2));
                Assert.That(await store.GetRevisionAsync(), Is.EqualTo(revision));
                Assert.That(Describe(readChanges), Is.EqualTo(Describe(changes)));
                Assert.That(readChanges.Changes, Is.Not.Empty);
                Assert.That(readChanges.PolicyChanges, Is.Not.Empty);
                Assert.That(await store.GetKeyIdsAsync(), Is.EqualTo(keyIds));
                Assert.That(keyIds, Is.EqualTo(new[] { "key-1" }));
                Assert.That(Describe(await store.ListPoliciesAsync()), Is.EqualTo(Describe(policies)));
                var policy = await store.GetPolicyAsync(RegistryAccounts.Default);
                Assert.That((policy!.DefaultRegistry, policy.AllowedRegistries), Is.EqualTo(("reg-a.example.com", (IReadOnlyList<string>)Allowed)));
                Assert.That(await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("gone.example.com")), Is.Null);
            }
        }

        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(hash), "the database file is byte for byte as before");
        Assert.That(_db.AllBytes(), Is.EqualTo(before), "the database and its log are byte for byte as before");
    }

    [Test]
    public async Task WatchFiresForAnotherStoresChangeAndTheReadOnlyStoreThenReadsIt()
    {
        await CreateStoreAsync();
        await using var writable = _db.Open();
        await using var store = OpenReadOnly(o => o.WatchOtherProcesses = true);
        var revision = await store.GetRevisionAsync();
        var token = store.Watch();
        Assert.That(token.HasChanged, Is.False);

        await writable.AddAsync(Record("watched.example.com", "watcher"));
        await UntilAsync(() => token.HasChanged);

        Assert.That(token.HasChanged, Is.True, "the read-only store's poller saw the other store's write");
        var read = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("watched.example.com"));
        Assert.That(read!.Entry.Username, Is.EqualTo("watcher"));
        Assert.That(await store.GetRevisionAsync(), Is.EqualTo(revision + 1));
        var changes = await store.GetChangesAsync(revision);
        Assert.That(changes.Changes.Select(c => c.Scope.Value), Is.EqualTo(new[] { "watched.example.com" }));

        // With the writer open (its log not checkpointed), a write here is refused and the writer sees nothing new.
        var entries = _db.RawScalar(EntriesSnapshot);
        var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.AddAsync(Record("refused.example.com")));
        Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly));
        Assert.That(await writable.GetRevisionAsync(), Is.EqualTo(revision + 1));
        Assert.That(_db.RawScalar(EntriesSnapshot), Is.EqualTo(entries));
    }

    [TestCaseSource(nameof(Writes))]
    public async Task EachWriteIsRefusedWithTheReadOnlyKindAndChangesNoByte(Func<SqliteRegistryStore, Task> write)
    {
        await CreateStoreAsync();
        var before = _db.AllBytes();
        var hash = TempDatabase.Sha256(_db.Path);
        var entries = _db.RawScalar(EntriesSnapshot);
        var policies = _db.RawScalar("SELECT group_concat(account || '|' || version, ' ') FROM registry_policies");
        var keys = _db.RawScalar("SELECT group_concat(key_id) FROM registry_secret_keys");
        await using (var store = OpenReadOnly())
        {
            var revision = await store.GetRevisionAsync();
            var error = Assert.ThrowsAsync<SqliteStoreException>(() => write(store));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly), error.Message);
                Assert.That(error.DatabasePath, Is.EqualTo(_db.Path));
                Assert.That(error.Message, Does.Contain(_db.Path).And.Contain("read-only"));
                Assert.That(await store.GetRevisionAsync(), Is.EqualTo(revision), "the store reads on after the refusal");
                Assert.That(_db.RawScalar(EntriesSnapshot), Is.EqualTo(entries));
                Assert.That(_db.RawScalar("SELECT group_concat(account || '|' || version, ' ') FROM registry_policies"), Is.EqualTo(policies));
                Assert.That(_db.RawScalar("SELECT group_concat(key_id) FROM registry_secret_keys"), Is.EqualTo(keys));
            }
        }

        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(hash), "the database file is byte for byte as before");
        Assert.That(_db.AllBytes(), Is.EqualTo(before), "the database and its log are byte for byte as before");
    }

    [Test]
    public async Task AWriteAsTheFirstCallIsRefusedWithoutOpeningTheFile()
    {
        await CreateStoreAsync();
        var before = _db.AllBytes();
        await using (var store = OpenReadOnly())
        {
            var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.AddAsync(Record("new.example.com")));
            Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly));
            Assert.That(await store.ListAsync(null), Has.Count.EqualTo(3), "reads still work");
        }

        Assert.That(_db.AllBytes(), Is.EqualTo(before));
    }

    [Test]
    public async Task AMissingFileIsRefusedAndNeitherItNorItsFolderIsCreated()
    {
        var folder = Path.Combine(_db.Folder, "sub");
        var path = Path.Combine(folder, "registries.db");
        await using (var store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = path, ReadOnly = true }))
        {
            var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.InitializeAsync());
            Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly), error.Message);
            Assert.That(error.DatabasePath, Is.EqualTo(path));
            Assert.That(error.Message, Does.Contain(path).And.Contain("does not exist or is empty"));
            var again = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.ListAsync(null));
            Assert.That(again!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly));
            var write = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.AddAsync(Record("reg.example.com")));
            Assert.That(write!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly));
        }

        Assert.That(Directory.Exists(folder), Is.False, "no folder created");

        // The same in an existing folder: no file, no journal, log or shared-memory file.
        await using (var store = OpenReadOnly())
        {
            var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.GetRevisionAsync());
            Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly));
        }

        Assert.That(Directory.GetFileSystemEntries(_db.Folder), Is.Empty, "no file created");
    }

    [Test]
    public async Task AnEmptyFileIsRefusedAndStaysEmpty()
    {
        await File.WriteAllBytesAsync(_db.Path, []);
        await using (var store = OpenReadOnly())
        {
            var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.ListAsync(null));
            Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly), error.Message);
            Assert.That(error.Message, Does.Contain(_db.Path));
        }

        Assert.That(new FileInfo(_db.Path).Length, Is.Zero);
        Assert.That(Directory.GetFileSystemEntries(_db.Folder), Is.EqualTo(new[] { _db.Path }), "no journal, log or shared-memory file");
    }

    [Test]
    public async Task AnOlderSchemaIsRefusedUntouchedAndOpensOnceANormalStoreMigratedIt()
    {
        _db.RawExecute(ShippedSchemas.Version2 + """
            INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates,
                is_active, created_on, updated_on, version, protected_secret)
            VALUES ('default', 'x.example.com', 'x', 'docker_v2', 'old-user', NULL, 1, 0, NULL, 1,
                '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00', 1, X'0102030405');
            """);
        var hash = TempDatabase.Sha256(_db.Path);
        await using (var store = OpenReadOnly())
        {
            var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.InitializeAsync());
            Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly), error.Message);
            Assert.That(error.Message, Does.Contain(_db.Path).And.Contain("schema version 2"));
            Assert.That(Assert.ThrowsAsync<SqliteStoreException>(async () => await store.ListAsync(null))!.Kind, Is.EqualTo(SqliteStoreErrorKind.ReadOnly));
        }

        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(hash), "the file is byte for byte as before");
        Assert.That(_db.RawScalar("SELECT max(version) FROM registry_schema"), Is.EqualTo("2"), "not migrated");

        await using (var writable = _db.Open())
        {
            await writable.InitializeAsync();
        }

        Assert.That(
            _db.RawScalar("SELECT max(version) FROM registry_schema"),
            Is.EqualTo(Schema.LatestVersion.ToString(CultureInfo.InvariantCulture)),
            "the normal store migrated it");
        await using (var store = OpenReadOnly())
        {
            var read = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("x.example.com"));
            Assert.That(read!.Entry.Username, Is.EqualTo("old-user"));
            Assert.That(read.ProtectedSecret.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
        }
    }

    [Test]
    public async Task ATextFileIsRefusedAsNotADatabaseAndLeftUntouched()
    {
        await File.WriteAllTextAsync(_db.Path, "registry: docker.io\nuser: someone\n");
        await RefusedAsync(SqliteStoreErrorKind.NotADatabase);
    }

    [Test]
    public async Task AnotherApplicationsDatabaseIsRefusedAsForeignAndLeftUntouched()
    {
        _db.RawExecute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada'), ('Grace');");
        var error = await RefusedAsync(SqliteStoreErrorKind.Foreign);
        Assert.That(error.Message, Does.Contain("customers"));
    }

    [Test]
    public async Task ANewerSchemaIsRefusedAsNewerAndLeftUntouched()
    {
        await CreateStoreAsync();
        var future = Schema.LatestVersion + 1;
        _db.RawExecute(
            $"INSERT INTO registry_schema (version, description, applied_on) VALUES ({future}, 'from the future', '2030-01-01T00:00:00.0000000+00:00')");
        var error = await RefusedAsync(SqliteStoreErrorKind.NewerSchema);
        Assert.That(error.Message, Does.Contain($"schema version {future}"));
    }

    [Test]
    public async Task ADamagedDatabaseIsRefusedAsCorruptAndLeftUntouched()
    {
        await using (var writable = _db.Open())
        {
            for (var i = 0; i < 200; i++)
            {
                await writable.AddAsync(Record($"reg{i}.example.com/team/{i}"));
            }
        }

        var pageSize = int.Parse(_db.RawScalar("PRAGMA page_size"), CultureInfo.InvariantCulture);
        var bytes = await File.ReadAllBytesAsync(_db.Path);
        var random = new Random(42);
        for (var offset = pageSize; offset < bytes.Length; offset += pageSize)
        {
            random.NextBytes(bytes.AsSpan(offset + 8, 64));
        }

        await File.WriteAllBytesAsync(_db.Path, bytes);
        await RefusedAsync(SqliteStoreErrorKind.Corrupt, o => o.CheckIntegrityOnOpen = true);
    }

    [Test]
    public async Task ALogAKilledWriterLeftIsReadAndNeitherItNorTheFileIsChanged()
    {
        // The files as a writer killed mid-life leaves them: its last writes in the log, not yet in the file, no index.
        using var copy = new TempDatabase();
        await using (var writable = _db.Open())
        {
            await writable.AddAsync(Record("first.example.com"));
            await writable.AddAsync(Record("logged.example.com", "in-the-log"));
            File.Copy(_db.Path, copy.Path);
            File.Copy(_db.Path + "-wal", copy.Path + "-wal");
        }

        Assert.That(new FileInfo(copy.Path + "-wal").Length, Is.GreaterThan(0), "the test needs writes still in the log");
        var before = copy.AllBytes();
        var hash = TempDatabase.Sha256(copy.Path);
        await using (var store = copy.Open(o => o.ReadOnly = true))
        {
            var logged = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("logged.example.com"));
            Assert.That(logged!.Entry.Username, Is.EqualTo("in-the-log"));
            Assert.That(await store.ListAsync(null), Has.Count.EqualTo(2));
            Assert.That(await store.GetRevisionAsync(), Is.EqualTo(2));
        }

        Assert.That(TempDatabase.Sha256(copy.Path), Is.EqualTo(hash), "not checkpointed into the file");
        Assert.That(copy.AllBytes(), Is.EqualTo(before), "the file and its log are byte for byte as before");
    }

    [Test]
    public async Task ARollbackJournalDatabaseIsReadWithoutCreatingAJournalLogOrSharedMemoryFile()
    {
        await CreateStoreAsync();
        _db.RawExecute("PRAGMA journal_mode = DELETE");
        Assert.That(_db.RawScalar("PRAGMA journal_mode"), Is.EqualTo("delete"));
        Assert.That(Directory.GetFileSystemEntries(_db.Folder), Is.EqualTo(new[] { _db.Path }));
        var hash = TempDatabase.Sha256(_db.Path);

        await using (var store = OpenReadOnly(o => o.WatchOtherProcesses = true))
        {
            Assert.That(await store.ListAsync(null), Has.Count.EqualTo(3));
            _ = store.Watch();
            Assert.ThrowsAsync<SqliteStoreException>(async () => await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("reg-b.example.com")));
            Assert.That(Directory.GetFileSystemEntries(_db.Folder), Is.EqualTo(new[] { _db.Path }), "nothing beside the file while open");
        }

        Assert.That(Directory.GetFileSystemEntries(_db.Folder), Is.EqualTo(new[] { _db.Path }), "nothing beside the file");
        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(hash));
        Assert.That(_db.RawScalar("PRAGMA journal_mode"), Is.EqualTo("delete"), "the journal mode is left as it was");
    }

    /// <summary>
    /// A store written by a normal store and closed: three entries (two of reg-a.example.com, one of another account), one
    /// deleted, one updated, a key id and a policy.
    /// </summary>
    private async Task CreateStoreAsync()
    {
        await using var store = _db.Open();
        await store.AddAsync(Record("reg-a.example.com/team"));
        await store.AddAsync(Record("reg-a.example.com/other"));
        await store.AddAsync(Record("reg-b.example.com"));
        await store.AddAsync(Record("gone.example.com"));
        await store.AddAsync(new RegistryRecord(Record("reg-a.example.com").Entry with { Account = "team-b" }, RandomNumberGenerator.GetBytes(64)));
        await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("gone.example.com"));
        await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("reg-a.example.com/other"));
        await store.AddAsync(Record("reg-a.example.com/other", "re-added"));
        await store.DeleteAsync("team-b", RegistryScope.Parse("reg-a.example.com"));
        var team = (await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg-a.example.com/team")))!;
        await store.UpdateAsync(team.WithEntry(team.Entry with { Username = "second" }), team.Entry.Version);
        Assert.That(await store.ReplaceKeyIdsAsync([], ["key-1"]), Is.True);
        Assert.That(
            await store.TrySetPolicyAsync(
                new RegistryPolicy { Account = RegistryAccounts.Default, DefaultRegistry = "reg-a.example.com", AllowedRegistries = Allowed }, 0),
            Is.Not.Null);
    }

    private SqliteRegistryStore OpenReadOnly(Action<SqliteRegistryStoreOptions>? configure = null) => _db.Open(o =>
    {
        o.ReadOnly = true;
        configure?.Invoke(o);
    });

    /// <summary>Opens the file read-only, expects the typed error naming it, and checks no byte changed and nothing was created.</summary>
    private async Task<SqliteStoreException> RefusedAsync(SqliteStoreErrorKind kind, Action<SqliteRegistryStoreOptions>? configure = null)
    {
        var hash = TempDatabase.Sha256(_db.Path);
        var files = Directory.GetFileSystemEntries(_db.Folder);
        SqliteStoreException? error;
        await using (var store = OpenReadOnly(configure))
        {
            error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.InitializeAsync());
            Assert.That(error!.Kind, Is.EqualTo(kind), error.Message);
            Assert.That(error.DatabasePath, Is.EqualTo(_db.Path));
            Assert.That(error.Message, Does.Contain(_db.Path));
            Assert.That(Assert.ThrowsAsync<SqliteStoreException>(async () => await store.ListAsync(null))!.Kind, Is.EqualTo(kind));
            Assert.That(Assert.ThrowsAsync<SqliteStoreException>(async () => await store.AddAsync(Record("reg.example.com")))!.Kind,
                Is.EqualTo(SqliteStoreErrorKind.ReadOnly), "a write is refused before the file is looked at");
        }

        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(hash), "the refused file must be left untouched");

        // SQLite itself creates an empty log and the shared-memory index beside a WAL-mode database when a read-only
        // connection opens it (and, read-only, does not remove them on close): no byte is written to the log.
        var created = Directory.GetFileSystemEntries(_db.Folder).Except(files).ToList();
        Assert.That(created, Is.SubsetOf(new[] { _db.Path + "-wal", _db.Path + "-shm" }), "no other file created beside it");
        Assert.That(created.Where(f => f.EndsWith("-wal", StringComparison.Ordinal)).Select(f => new FileInfo(f).Length), Is.All.Zero);
        return error!;
    }

    /// <summary>Waits until the condition holds, at most 10 s (a bound on waiting, not a timed assertion).</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
    }

    private static string Describe(RegistryRecord record) =>
        $"{record.Entry.Account}|{record.Entry.Scope}|{record.Entry.Version}|{record.Entry.Username}|{record.Entry.Email}|"
        + $"{record.Entry.CreatedOn:O}|{record.Entry.UpdatedOn:O}|{Convert.ToHexString(record.ProtectedSecret.Span)}";

    private static string Describe(IEnumerable<RegistryRecord> records) => string.Join('\n', records.Select(Describe));

    private static string Describe(RegistryChangeSet set) => string.Join(
        '\n',
        [
            $"revision {set.Revision} gap {set.IsGap}",
            .. set.Changes.Select(c => $"{c.Revision} {c.Account} {c.Scope} {(c.Record is null ? "deleted" : Describe(c.Record))}"),
            .. set.PolicyChanges.Select(c => $"{c.Revision} {c.Account} {(c.Policy is null ? "deleted" : Describe([c.Policy]))}"),
        ]);

    private static string Describe(IEnumerable<RegistryPolicy> policies) => string.Join(
        '\n', policies.Select(p => $"{p.Account}|{p.DefaultRegistry}|{string.Join(',', p.AllowedRegistries)}|{p.Version}|{p.UpdatedOn:O}"));
}
