using System.Globalization;
using RegistryCredentials.Sqlite.Internal;
using static RegistryCredentials.Sqlite.Tests.SqliteTestRecords;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// Files the store must refuse with a typed error naming the file, leaving every byte as it was: a text file, a
/// truncated or damaged database, another application's database, a newer schema. And files it must accept.
/// </summary>
[TestFixture]
public sealed class SqliteFileFaultTests
{
    private TempDatabase _db = null!;

    [SetUp]
    public void CreateFolder() => _db = new TempDatabase();

    [TearDown]
    public void DeleteFolder() => _db.Dispose();

    [Test]
    public async Task AMissingFileInAMissingFolderIsCreatedWithTheSchema()
    {
        var path = Path.Combine(_db.Folder, "sub", "dir", "registries.db");
        await using (var store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = path }))
        {
            await store.AddAsync(Record("reg.example.com"));
        }

        Assert.That(File.Exists(path), Is.True);
        await using var reopened = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = path });
        Assert.That(await reopened.ListAsync(null), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AnEmptyFileIsCreatedWithTheSchemaInWalMode()
    {
        await File.WriteAllBytesAsync(_db.Path, []);
        await using (var store = _db.Open())
        {
            await store.InitializeAsync();
            await store.AddAsync(Record("reg.example.com"));
        }

        Assert.That(_db.RawScalar("PRAGMA journal_mode"), Is.EqualTo("wal"));
        Assert.That(_db.RawScalar("SELECT MAX(version) FROM registry_schema"), Is.EqualTo(Schema.LatestVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.That(_db.RawScalar("PRAGMA application_id"), Is.EqualTo("1382499186"));
    }

    [Test]
    public async Task AnEmptySqliteDatabaseOfNoApplicationIsUsed()
    {
        _db.RawExecute("PRAGMA user_version = 0"); // creates a valid, empty database file
        await using var store = _db.Open();
        await store.AddAsync(Record("reg.example.com"));
        Assert.That(await store.ListAsync(null), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EverythingSurvivesReopening()
    {
        var record = Record("reg.example.com:5000/team");
        await using (var store = _db.Open())
        {
            await store.AddAsync(record);
            await store.UpdateAsync(Record("reg.example.com:5000/team", username: "second"), 1);
        }

        await using var reopened = _db.Open();
        var read = await reopened.GetAsync(RegistryAccounts.Default, record.Entry.Scope);
        Assert.That(read!.Entry, Is.EqualTo(record.Entry with { Username = "second", Version = 2 }));
    }

    [Test]
    public async Task TimesRoundTripToTheTickInUtc()
    {
        var created = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(5.5)).AddTicks(1234567);
        var record = Record("reg.example.com");
        record = record.WithEntry(record.Entry with { CreatedOn = created, UpdatedOn = created.AddTicks(1) });
        await using var store = _db.Open();
        await store.AddAsync(record);

        var read = (await store.GetAsync(RegistryAccounts.Default, record.Entry.Scope))!.Entry;
        Assert.That(read.CreatedOn.UtcTicks, Is.EqualTo(created.UtcTicks));
        Assert.That(read.UpdatedOn.UtcTicks, Is.EqualTo(created.UtcTicks + 1));
        Assert.That(read.CreatedOn.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task ATextFileIsRefusedAndLeftUntouched()
    {
        await File.WriteAllTextAsync(_db.Path, "registry: docker.io\nuser: someone\n");
        var error = await RefusedAsync(SqliteStoreErrorKind.NotADatabase);
        Assert.That(error.Message, Does.Contain("not a SQLite database"));
        Assert.That(File.Exists(_db.Path + "-wal"), Is.False);
    }

    [Test]
    public async Task AFileEndingInsideTheHeaderIsRefused()
    {
        await File.WriteAllBytesAsync(_db.Path, [.. "SQLite format 3\0"u8, 0x10, 0x00, 1, 1]);
        var error = await RefusedAsync(SqliteStoreErrorKind.Corrupt);
        Assert.That(error.Message, Does.Contain("truncated"));
    }

    [Test]
    public async Task ADatabaseTruncatedMidPageIsRefusedAndLeftUntouched()
    {
        await CreateDatabaseAsync(entries: 200);
        var pageSize = int.Parse(_db.RawScalar("PRAGMA page_size"), System.Globalization.CultureInfo.InvariantCulture);
        var length = new FileInfo(_db.Path).Length;
        Assert.That(length, Is.GreaterThan(4 * pageSize), "the test needs a database of several pages");
        using (var file = new FileStream(_db.Path, FileMode.Open))
        {
            file.SetLength(length - pageSize - (pageSize / 2));
        }

        var error = await RefusedAsync(SqliteStoreErrorKind.Corrupt);
        Assert.That(error.Message, Does.Contain("truncated"));
    }

    [Test]
    public async Task ADatabaseTruncatedAtAPageBoundaryIsRefusedAndLeftUntouched()
    {
        await CreateDatabaseAsync(entries: 200);
        var pageSize = int.Parse(_db.RawScalar("PRAGMA page_size"), System.Globalization.CultureInfo.InvariantCulture);
        using (var file = new FileStream(_db.Path, FileMode.Open))
        {
            file.SetLength(3L * pageSize);
        }

        var error = await RefusedAsync(SqliteStoreErrorKind.Corrupt);
        Assert.That(error.Message, Does.Contain("truncated"));
    }

    [Test]
    public async Task ADamagedDatabaseIsRefusedAndLeftUntouched()
    {
        await CreateDatabaseAsync(entries: 200);
        var pageSize = int.Parse(_db.RawScalar("PRAGMA page_size"), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = await File.ReadAllBytesAsync(_db.Path);

        // Scribble over every page but the first (header and schema): b-tree pages of the entries and their index.
        var random = new Random(42);
        for (var offset = pageSize; offset < bytes.Length; offset += pageSize)
        {
            random.NextBytes(bytes.AsSpan(offset + 8, 64));
        }

        await File.WriteAllBytesAsync(_db.Path, bytes);
        var error = await RefusedAsync(SqliteStoreErrorKind.Corrupt);
        Assert.That(error.Message, Does.Contain("damaged"));
    }

    [Test]
    public async Task DamageFoundAfterOpeningIsATypedErrorToo()
    {
        await CreateDatabaseAsync(entries: 200);
        var pageSize = int.Parse(_db.RawScalar("PRAGMA page_size"), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = await File.ReadAllBytesAsync(_db.Path);
        var random = new Random(7);
        for (var offset = pageSize; offset < bytes.Length; offset += pageSize)
        {
            random.NextBytes(bytes.AsSpan(offset + 8, 64));
        }

        await File.WriteAllBytesAsync(_db.Path, bytes);
        var before = TempDatabase.Sha256(_db.Path);
        await using var store = _db.Open(o => o.CheckIntegrityOnOpen = false);
        var error = Assert.CatchAsync<RegistryCredentialsException>(async () => await store.ListAsync(null));
        Assert.That(error, Is.TypeOf<SqliteStoreException>());
        Assert.That(error!.Message, Does.Contain(_db.Path));
        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(before));
    }

    [Test]
    public async Task AnotherApplicationsDatabaseIsRefusedAndLeftUntouched()
    {
        _db.RawExecute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada'), ('Grace');");
        var error = await RefusedAsync(SqliteStoreErrorKind.Foreign);
        Assert.That(error.Message, Does.Contain("customers"));
    }

    [Test]
    public async Task AnotherApplicationsWalDatabaseIsRefusedAndLeftUntouched()
    {
        _db.RawExecute("PRAGMA journal_mode = WAL; PRAGMA application_id = 1234; CREATE TABLE things (id INTEGER PRIMARY KEY);");
        await RefusedAsync(SqliteStoreErrorKind.Foreign);
        Assert.That(_db.RawScalar("PRAGMA application_id"), Is.EqualTo("1234"));
    }

    [Test]
    public async Task ANewerSchemaIsRefusedAndLeftUntouched()
    {
        await CreateDatabaseAsync(entries: 3);
        var future = Schema.LatestVersion + 1;
        _db.RawExecute(
            $"INSERT INTO registry_schema (version, description, applied_on) VALUES ({future}, 'from the future', '2030-01-01T00:00:00.0000000+00:00')");
        var error = await RefusedAsync(SqliteStoreErrorKind.NewerSchema);
        Assert.That(error.Message, Does.Contain($"schema version {future}"));
    }

    [Test]
    public async Task ARefusedFileIsRefusedByEveryCallAndUsableOnceReplaced()
    {
        await File.WriteAllTextAsync(_db.Path, "not a database");
        await using var store = _db.Open();
        Assert.ThrowsAsync<SqliteStoreException>(async () => await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")));
        Assert.ThrowsAsync<SqliteStoreException>(async () => await store.AddAsync(Record("reg.example.com")));
        Assert.That(await File.ReadAllTextAsync(_db.Path), Is.EqualTo("not a database"));

        File.Delete(_db.Path);
        await store.AddAsync(Record("reg.example.com"));
        Assert.That(await store.ListAsync(null), Has.Count.EqualTo(1));
    }

    [Test]
    public void OptionsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentException>(() => _ = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = " " }));
        Assert.Throws<ArgumentException>(() => _ = new SqliteRegistryStore(new SqliteRegistryStoreOptions { BusyTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => _ = new SqliteRegistryStore(new SqliteRegistryStoreOptions { ChangePollInterval = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => _ = new SqliteRegistryStore(new SqliteRegistryStoreOptions { MaxRetries = -1 }));
    }

    /// <summary>Opens the file, expects the typed error naming it, and checks the file is byte for byte as before.</summary>
    private async Task<SqliteStoreException> RefusedAsync(SqliteStoreErrorKind kind)
    {
        var before = TempDatabase.Sha256(_db.Path);
        await using var store = _db.Open();
        var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await store.InitializeAsync());
        Assert.That(error!.Kind, Is.EqualTo(kind), error.Message);
        Assert.That(error.DatabasePath, Is.EqualTo(_db.Path));
        Assert.That(error.Message, Does.Contain(_db.Path));
        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(before), "the refused file must be left untouched");
        Assert.ThrowsAsync<SqliteStoreException>(async () => await store.ListAsync(null));
        Assert.That(TempDatabase.Sha256(_db.Path), Is.EqualTo(before), "the refused file must be left untouched");
        return error;
    }

    /// <summary>A real registry database with entries, closed (its log checkpointed into the file).</summary>
    private async Task CreateDatabaseAsync(int entries)
    {
        await using var store = _db.Open();
        for (var i = 0; i < entries; i++)
        {
            await store.AddAsync(Record($"reg{i}.example.com/team/{i}"));
        }
    }

    [TestCase("scope", "https://reg.example.com", TestName = "A stored scope that does not parse")]
    [TestCase("type", "not a type!", TestName = "A stored type that does not parse")]
    [TestCase("created_on", "yesterday", TestName = "A stored time that does not parse")]
    public async Task ARowThatHoldsNoValidEntryIsACorruptDatabaseErrorNamingItAndIsLeftAlone(string column, string value)
    {
        await using (var store = _db.Open())
        {
            await store.AddAsync(Record("reg.example.com"));
        }

        _db.RawExecute($"UPDATE registry_entries SET {column} = '{value}'");
        const string Row = "SELECT account || '|' || scope || '|' || type || '|' || created_on || "
            + "'|' || version || '|' || hex(protected_secret) FROM registry_entries";
        var before = _db.RawScalar(Row);

        var scope = column == "scope" ? value : "reg.example.com";
        await using (var store = _db.Open())
        {
            var reads = new List<Func<Task>> { async () => await store.ListAsync(null), async () => await store.ListAsync(RegistryAccounts.Default) };
            if (column != "scope")
            {
                reads.Add(async () => await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse(scope)));
            }

            foreach (var read in reads)
            {
                var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await read());
                Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.Corrupt));
                Assert.That(error.DatabasePath, Is.EqualTo(_db.Path));
                Assert.That(error.Message, Does.Contain($"the row for scope '{scope}' in account 'default' does not hold a valid entry"));
            }
        }

        Assert.That(_db.RawScalar(Row), Is.EqualTo(before), "the row is left as it was");
    }
}
