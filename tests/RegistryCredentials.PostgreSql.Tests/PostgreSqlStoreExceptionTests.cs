namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>The PostgreSQL store's errors in the one failure model (issue 13); no server needed.</summary>
public class PostgreSqlStoreExceptionTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void A_store_failure_is_store_unavailable_and_as_transient_as_the_store_says(bool transient)
    {
        var error = new PostgreSqlStoreException("The PostgreSQL registry store could not list.", transient, "57P01", null);

        Assert.Multiple(() =>
        {
            Assert.That(error.Reason, Is.EqualTo(RegistryErrorReason.StoreUnavailable));
            Assert.That(error.IsTransient, Is.EqualTo(transient));
            Assert.That(((RegistryCredentialsException)error).IsTransient, Is.EqualTo(transient), "the base property is the same one");
            Assert.That(RegistryErrorCatalog.For(error).HttpStatus, Is.EqualTo(503));
        });
    }

    [Test]
    public void A_newer_schema_is_store_incompatible_and_not_transient()
    {
        var error = new PostgreSqlSchemaVersionException("registry", 9, 2);

        Assert.Multiple(() =>
        {
            Assert.That(error.Reason, Is.EqualTo(RegistryErrorReason.StoreIncompatible));
            Assert.That(error.IsTransient, Is.False);
        });
    }
}
