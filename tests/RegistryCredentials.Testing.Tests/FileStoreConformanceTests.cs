using RegistryCredentials.StoreClient;

namespace RegistryCredentials.Testing.Tests;

/// <summary>
/// The conformance suite against a custom store (one JSON file, <see cref="FileRegistryStore"/>): a second instance on
/// the same file is the other view.
/// </summary>
[TestFixture]
public sealed class FileStoreConformanceTests : RegistryStoreConformanceTests
{
    private readonly List<string> _folders = [];

    protected override Task<IRegistryStore> CreateStoreAsync()
    {
        var folder = Directory.CreateTempSubdirectory("regcred-filestore-").FullName;
        _folders.Add(folder);
        return Task.FromResult<IRegistryStore>(new FileRegistryStore(Path.Combine(folder, "registries.json")));
    }

    protected override Task<IRegistryStore?> OpenSecondViewAsync(IRegistryStore store) =>
        Task.FromResult<IRegistryStore?>(new FileRegistryStore(((FileRegistryStore)store).Path));

    [OneTimeTearDown]
    public void DeleteFolders()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
