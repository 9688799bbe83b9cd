using RegistryCredentials.Testing;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>The conformance suite against the SQLite store: a new file per test, a second store on the same file as the other view.</summary>
[TestFixture]
public sealed class SqliteStoreConformanceTests : RegistryStoreConformanceTests
{
    private readonly List<TempDatabase> _databases = [];
    private readonly Dictionary<IRegistryStore, string> _paths = [];

    protected override TimeSpan ChangeSignalTimeout => TimeSpan.FromSeconds(3);

    protected override Task<IRegistryStore> CreateStoreAsync()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        var store = database.Open();
        _paths[store] = database.Path;
        return Task.FromResult<IRegistryStore>(store);
    }

    protected override Task<IRegistryStore?> OpenSecondViewAsync(IRegistryStore store)
    {
        var other = new SqliteRegistryStore(new SqliteRegistryStoreOptions
        {
            Path = _paths[store],
            ChangePollInterval = TimeSpan.FromMilliseconds(100),
        });
        _paths[other] = other.DatabasePath;
        return Task.FromResult<IRegistryStore?>(other);
    }

    /// <summary>Deletes the feed's rows as the trimming trigger would once 10,000 newer changes were made.</summary>
    protected override Task<bool> ForgetChangesAsync(IRegistryStore store, long revision)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_paths[store]};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM registry_changes WHERE revision <= $revision";
        command.Parameters.AddWithValue("$revision", revision);
        command.ExecuteNonQuery();
        return Task.FromResult(true);
    }

    [TearDown]
    public void DeleteFiles()
    {
        // NUnit runs this before the base class's TearDown (which disposes the stores again, harmlessly): close the
        // files before deleting their folders.
        foreach (var store in _paths.Keys)
        {
            (store as IDisposable)?.Dispose();
        }

        _paths.Clear();
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        _databases.Clear();
    }
}
