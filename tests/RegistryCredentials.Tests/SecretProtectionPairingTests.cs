using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace RegistryCredentials.Tests;

/// <summary>
/// A durable store never gets a per-process key silently (issue 12, section 4): every store but the in-memory one is paired
/// with <see cref="AesGcmSecretProtector"/> unless the host asks for the per-process protector by name.
/// </summary>
public class SecretProtectionPairingTests
{
    private static ISecretProtector ProtectorFor(Action<RegistryCredentialsBuilder> build)
    {
        var services = new ServiceCollection();

        // A key in options, so that no test reads REGCRED_SECRET_KEY or creates a key file in the real home folder.
        services.Configure<SecretProtectionOptions>(o =>
        {
            o.Key = AesGcmSecretProtector.GenerateKey();
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
        });
        build(services.AddRegistryCredentials());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ISecretProtector>();
    }

    private static IRegistryStore CustomStore() => new Mock<IRegistryStore>().Object;

    [Test]
    public void A_custom_store_instance_gets_durable_protection()
    {
        Assert.That(ProtectorFor(b => b.UseStore(CustomStore())), Is.InstanceOf<AesGcmSecretProtector>());
    }

    [Test]
    public void A_custom_store_type_gets_durable_protection()
    {
        Assert.That(ProtectorFor(b => b.UseStore<CustomStoreType>()), Is.InstanceOf<AesGcmSecretProtector>());
    }

    [Test]
    public void A_store_registered_straight_in_the_service_collection_gets_durable_protection()
    {
        Assert.That(ProtectorFor(b => b.Services.AddSingleton(CustomStore())), Is.InstanceOf<AesGcmSecretProtector>());
    }

    [Test]
    public void The_in_memory_store_keeps_its_per_process_key()
    {
        var protector = ProtectorFor(_ => { });
        Assert.That(protector, Is.Not.InstanceOf<AesGcmSecretProtector>());
        Assert.That(protector.CurrentKeyId, Is.Not.Null.And.Not.EqualTo(ProtectorFor(_ => { }).CurrentKeyId), "a new key in every process");
        Assert.That(ProtectorFor(b => b.UseStore(CustomStore()).UseInMemoryStore()), Is.Not.InstanceOf<AesGcmSecretProtector>());
    }

    [TestCase(true)]
    [TestCase(false)]
    public void The_per_process_protector_asked_for_by_name_stays_whatever_the_order(bool protectorFirst)
    {
        var protector = ProtectorFor(b =>
        {
            if (protectorFirst)
            {
                b.UseEphemeralSecretProtection().UseStore(CustomStore()).EnsureDurableSecretProtection();
            }
            else
            {
                b.UseStore(CustomStore()).EnsureDurableSecretProtection().UseEphemeralSecretProtection();
            }
        });

        Assert.That(protector, Is.Not.InstanceOf<AesGcmSecretProtector>());
    }

    [Test]
    public void A_custom_protector_is_never_replaced()
    {
        var custom = new Mock<ISecretProtector>().Object;
        Assert.That(ProtectorFor(b => b.Services.AddSingleton(custom)), Is.SameAs(custom));
        Assert.That(ProtectorFor(b => b.UseStore(CustomStore()).Services.AddSingleton(custom)), Is.SameAs(custom));
    }

    /// <summary>A store type the container builds (its members are never called here).</summary>
    private sealed class CustomStoreType : IRegistryStore
    {
        public ValueTask<RegistryRecord?> GetAsync(
            string account,
            RegistryScope scope,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(
            string? account,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<RegistryRecord> UpdateAsync(
            RegistryRecord record,
            long expectedVersion,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> DeleteAsync(
            string account,
            RegistryScope scope,
            long? expectedVersion = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> ReplaceKeyIdsAsync(
            IReadOnlyCollection<string> expected,
            IReadOnlyCollection<string> keyIds,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Microsoft.Extensions.Primitives.IChangeToken Watch() => throw new NotSupportedException();
    }
}
