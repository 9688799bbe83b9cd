using System.Net;
using System.Security.Authentication;
using RegistryCredentials.Aws.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The ECR provider in the one failure model (issue 13): <c>CheckEntryAsync</c> refuses an entry with an
/// <see cref="AwsEcrException"/> whose <see cref="RegistryCredentialsException.Reason"/> is <c>InvalidEntry</c> or
/// <c>NotAllowed</c> and whose <see cref="RegistryCredentialsException.Field"/> names the property, before anything is
/// stored or sent; every <see cref="AwsEcrErrorKind"/> has its reason.
/// </summary>
public class EntryRefusalTests
{
    private const string Registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

    [TestCase(Registry, "_iam_role", "not-a-role-arn", AwsEcrErrorKind.InvalidEntry, RegistryErrorReason.InvalidEntry, "Password")]
    [TestCase(Registry, "_iam_role", "arn:aws:iam::123456789012:role/ecr-pull;x", AwsEcrErrorKind.InvalidEntry, RegistryErrorReason.InvalidEntry, "Password")]
    [TestCase(Registry, "not an access key", "secret", AwsEcrErrorKind.InvalidEntry, RegistryErrorReason.InvalidEntry, "Username")]
    [TestCase(Registry, "awsauto", "something-else", AwsEcrErrorKind.InvalidEntry, RegistryErrorReason.InvalidEntry, "Password")]
    [TestCase(Registry, "awsauto", "awsauto", AwsEcrErrorKind.IamRoleAutoNotAllowed, RegistryErrorReason.NotAllowed, "Username")]
    [TestCase("registry.example.com", "AKIAIOSFODNN7EXAMPLE", "secret", AwsEcrErrorKind.InvalidEntry, RegistryErrorReason.InvalidEntry, "Scope")]
    [TestCase("123456789012.dkr.ecr.*.amazonaws.com", "AKIAIOSFODNN7EXAMPLE", "secret",
        AwsEcrErrorKind.InvalidEntry, RegistryErrorReason.InvalidEntry, "Scope")]
    public async Task A_refused_entry_names_its_reason_and_field_and_stores_nothing(
        string scope,
        string user,
        string password,
        AwsEcrErrorKind kind,
        RegistryErrorReason reason,
        string field)
    {
        using var host = EcrTestHosts.Create(_ => { });
        await host.AddEcrAsync(Registry, "AKIAIOSFODNN7EXAMPLE", "kept-secret");
        var before = await host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope, Type = RegistryType.AwsEcr, Username = user, Password = password, Validate = true, Replace = true,
        }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(kind), error.Message);
            Assert.That(error.Reason, Is.EqualTo(reason));
            Assert.That(error.Field, Is.EqualTo(field));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(host.Validator.Invocations, Is.Empty, "refused before validation");
        });
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public void Every_kind_has_its_reason()
    {
        static RegistryErrorReason Of(AwsEcrErrorKind kind, Exception? inner = null) => new AwsEcrException(kind, "x", innerException: inner).Reason;

        Assert.Multiple(() =>
        {
            Assert.That(Of(AwsEcrErrorKind.Unauthorized), Is.EqualTo(RegistryErrorReason.Unauthorized));
            Assert.That(Of(AwsEcrErrorKind.NoCredentials), Is.EqualTo(RegistryErrorReason.Unauthorized));
            Assert.That(Of(AwsEcrErrorKind.Throttled), Is.EqualTo(RegistryErrorReason.Throttled));
            Assert.That(Of(AwsEcrErrorKind.IamRoleAutoNotAllowed), Is.EqualTo(RegistryErrorReason.NotAllowed));
            Assert.That(Of(AwsEcrErrorKind.InvalidEntry), Is.EqualTo(RegistryErrorReason.InvalidEntry));
            Assert.That(Of(AwsEcrErrorKind.Unreachable), Is.EqualTo(RegistryErrorReason.Unreachable));
            Assert.That(Of(AwsEcrErrorKind.Unreachable, new OperationCanceledException()), Is.EqualTo(RegistryErrorReason.Timeout));
            Assert.That(
                Of(AwsEcrErrorKind.Unreachable, new HttpRequestException("tls", new AuthenticationException("untrusted"))),
                Is.EqualTo(RegistryErrorReason.TlsFailure));
            Assert.That(Of(AwsEcrErrorKind.ServiceError), Is.EqualTo(RegistryErrorReason.ProtocolError));
            Assert.That(new AwsEcrException().Reason, Is.EqualTo(RegistryErrorReason.ProtocolError));
            Assert.That(new AwsEcrException(AwsEcrErrorKind.Throttled, "x", "ThrottlingException", HttpStatusCode.BadRequest).IsTransient, Is.True);
        });
    }
}
