namespace RegistryCredentials.Sqlite.Tests;

/// <summary>The SQLite store's errors in the one failure model (issue 13): each <see cref="SqliteStoreErrorKind"/> has its reason.</summary>
public class SqliteStoreExceptionTests
{
    [TestCase(SqliteStoreErrorKind.NotADatabase, RegistryErrorReason.StoreIncompatible, false)]
    [TestCase(SqliteStoreErrorKind.Corrupt, RegistryErrorReason.StoreIncompatible, false)]
    [TestCase(SqliteStoreErrorKind.Foreign, RegistryErrorReason.StoreIncompatible, false)]
    [TestCase(SqliteStoreErrorKind.NewerSchema, RegistryErrorReason.StoreIncompatible, false)]
    [TestCase(SqliteStoreErrorKind.Unavailable, RegistryErrorReason.StoreUnavailable, false)]
    [TestCase(SqliteStoreErrorKind.Locked, RegistryErrorReason.StoreUnavailable, true)]
    public void Every_kind_has_its_reason_and_only_a_lock_is_transient(SqliteStoreErrorKind kind, RegistryErrorReason reason, bool transient)
    {
        var error = new SqliteStoreException("/tmp/registries.db", kind, "The registry database '/tmp/registries.db' failed.");

        Assert.Multiple(() =>
        {
            Assert.That(error.Reason, Is.EqualTo(reason));
            Assert.That(error.IsTransient, Is.EqualTo(transient));
            Assert.That(RegistryErrorCatalog.For(error).ExitCode, Is.EqualTo(1));
        });
    }
}
