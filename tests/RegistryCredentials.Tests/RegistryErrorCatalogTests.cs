using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// The one failure model (issue 13): one row per <see cref="RegistryErrorReason"/> in <see cref="RegistryErrorCatalog"/>,
/// every exception type of the core sets its reason, and any exception a caller meets is classified.
/// </summary>
public class RegistryErrorCatalogTests
{
    private static readonly RegistryScope Scope = RegistryScope.Parse("reg.example.com");

    private static IEnumerable<RegistryValidationOutcome> Failures =>
        Enum.GetValues<RegistryValidationOutcome>().Where(o => o != RegistryValidationOutcome.Valid);

    [Test]
    public void The_table_has_one_row_per_reason_in_the_order_of_the_enum()
    {
        var reasons = Enum.GetValues<RegistryErrorReason>();
        Assert.That(RegistryErrorCatalog.All.Select(m => m.Reason), Is.EqualTo(reasons));
        Assert.Multiple(() =>
        {
            foreach (var reason in reasons)
            {
                var mapping = RegistryErrorCatalog.For(reason);
                Assert.That(mapping.Reason, Is.EqualTo(reason));
                Assert.That(mapping.HttpStatus, Is.InRange(400, 599), reason.ToString());
                Assert.That(mapping.ProblemType, Does.StartWith("urn:registry-credentials:problem:"), reason.ToString());
                Assert.That(mapping.Title, Is.Not.Empty, reason.ToString());
                Assert.That(mapping.ExitCode, Is.InRange(1, 5), reason.ToString());
                Assert.That(mapping.ToString(), Does.StartWith(reason + ": HTTP " + mapping.HttpStatus));
            }
        });
    }

    [Test]
    public void A_problem_type_always_has_the_same_status_and_title()
    {
        // RFC 9457 §3.1.3: the title of a type does not change from occurrence to occurrence.
        foreach (var group in RegistryErrorCatalog.All.GroupBy(m => m.ProblemType))
        {
            Assert.That(group.Select(m => (m.HttpStatus, m.Title)).Distinct().Count(), Is.EqualTo(1), group.Key);
        }
    }

    [Test]
    public void A_reason_the_enum_does_not_define_gets_the_unspecified_row() =>
        Assert.That(RegistryErrorCatalog.For((RegistryErrorReason)999).Reason, Is.EqualTo(RegistryErrorReason.Unspecified));

    [Test]
    public void Any_exception_is_classified()
    {
        var notFound = new RegistryNotFoundException("acct", Scope);
        Assert.Multiple(() =>
        {
            Assert.That(RegistryErrorCatalog.ReasonOf(notFound), Is.EqualTo(RegistryErrorReason.NotFound));
            Assert.That(RegistryErrorCatalog.ReasonOf(new AggregateException(notFound)), Is.EqualTo(RegistryErrorReason.NotFound));
            Assert.That(RegistryErrorCatalog.ReasonOf(new ArgumentException("bad", "x")), Is.EqualTo(RegistryErrorReason.InvalidArgument));
            Assert.That(
                RegistryErrorCatalog.ReasonOf(new RegistryFieldException("Password", RegistryFieldProblem.TooLarge, "big")),
                Is.EqualTo(RegistryErrorReason.InvalidArgument));
            Assert.That(
                RegistryErrorCatalog.ReasonOf(new RegistryScopeFormatException("x y", "bad host", null)),
                Is.EqualTo(RegistryErrorReason.InvalidArgument));
            Assert.That(
                RegistryErrorCatalog.ReasonOf(new ImageReferenceFormatException("A", ImageReferencePart.Repository, "upper case")),
                Is.EqualTo(RegistryErrorReason.InvalidArgument));
            Assert.That(
                RegistryErrorCatalog.ReasonOf(new OptionsValidationException("o", typeof(object), ["bad"])),
                Is.EqualTo(RegistryErrorReason.Misconfigured));
            Assert.That(RegistryErrorCatalog.ReasonOf(new OperationCanceledException()), Is.EqualTo(RegistryErrorReason.Unspecified));
            Assert.That(RegistryErrorCatalog.ReasonOf(new IOException("disk")), Is.EqualTo(RegistryErrorReason.Unspecified));
            Assert.That(RegistryErrorCatalog.ReasonOf(new AggregateException(new IOException("a"), notFound)), Is.EqualTo(RegistryErrorReason.Unspecified));
            Assert.That(RegistryErrorCatalog.For(notFound).ExitCode, Is.EqualTo(2));
        });
    }

    [Test]
    public void Every_core_exception_type_sets_its_reason()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new RegistryCredentialsException("x").Reason, Is.EqualTo(RegistryErrorReason.Unspecified));
            Assert.That(new RegistryCredentialsException(RegistryErrorReason.Throttled, "x", null).Reason, Is.EqualTo(RegistryErrorReason.Throttled));
            Assert.That(new RegistryNotFoundException("acct", Scope).Reason, Is.EqualTo(RegistryErrorReason.NotFound));
            Assert.That(new RegistryConflictException("acct", Scope).Reason, Is.EqualTo(RegistryErrorReason.Conflict));
            Assert.That(new RegistryConcurrencyException("acct", Scope, 1, 2).Reason, Is.EqualTo(RegistryErrorReason.Concurrency));
            Assert.That(new RegistryTypeNotSupportedException(RegistryType.Parse("x_type")).Reason, Is.EqualTo(RegistryErrorReason.TypeNotSupported));
            Assert.That(new RegistrySecretKeyException("wrong key").Reason, Is.EqualTo(RegistryErrorReason.SecretKey));
            Assert.That(new RegistryPullDeniedException("denied").Reason, Is.EqualTo(RegistryErrorReason.PullDenied));
            Assert.That(
                new RegistryValidationException("refused").Reason,
                Is.EqualTo(RegistryErrorReason.Unauthorized),
                "a validation failure of unknown outcome");
            Assert.That(new RegistryAuthenticationException("bad answer").Reason, Is.EqualTo(RegistryErrorReason.ProtocolError));
        });
    }

    [TestCaseSource(nameof(Failures))]
    public void A_failed_check_has_the_reason_of_its_outcome(RegistryValidationOutcome outcome)
    {
        var reason = RegistryErrorCatalog.ReasonOf(outcome);
        var validation = new RegistryValidationException("acct", Scope, new RegistryValidationResult(outcome, "why"));
        var authentication = new RegistryAuthenticationException(outcome, "why");

        Assert.Multiple(() =>
        {
            Assert.That(reason.ToString(), Is.EqualTo(outcome.ToString()), "the reasons of the outcomes have their names");
            Assert.That(validation.Reason, Is.EqualTo(reason));
            Assert.That(authentication.Reason, Is.EqualTo(reason));
            Assert.That(validation.IsTransient, Is.EqualTo(outcome is RegistryValidationOutcome.Unreachable or RegistryValidationOutcome.Timeout));
            Assert.That(RegistryErrorCatalog.For(validation).ExitCode, Is.EqualTo(4));
            Assert.That(RegistryErrorCatalog.For(validation).HttpStatus, Is.EqualTo(422));
        });
    }

    [Test]
    public void Transience_defaults_to_the_row_of_the_reason()
    {
        Assert.Multiple(() =>
        {
            foreach (var mapping in RegistryErrorCatalog.All)
            {
                Assert.That(
                    new RegistryCredentialsException(mapping.Reason, "x", null).IsTransient,
                    Is.EqualTo(mapping.IsTransient),
                    mapping.Reason.ToString());
            }

            Assert.That(
                RegistryErrorCatalog.All.Where(m => m.IsTransient).Select(m => m.Reason),
                Is.EquivalentTo(new[]
                {
                    RegistryErrorReason.Unreachable,
                    RegistryErrorReason.Timeout,
                    RegistryErrorReason.Throttled,
                    RegistryErrorReason.StoreUnavailable,
                }));
        });
    }

    [Test]
    public async Task A_docker_v2_user_name_with_a_colon_is_an_invalid_entry_naming_the_field_and_stores_nothing()
    {
        using var host = new TestHost();
        var before = await host.SnapshotAsync();

        var error = Assert.ThrowsAsync<RegistryCredentialsException>(() => host.AddAsync("reg.example.com", username: "a:b"));

        Assert.That((error!.Reason, error.Field), Is.EqualTo((RegistryErrorReason.InvalidEntry, "Username")));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Validation_without_a_validator_is_misconfigured_and_stores_nothing()
    {
        using var host = new TestHost(withValidator: false, build: b => b.Services.RemoveAll<IRegistryCredentialValidator>());
        await host.Manager.AddAsync(new RegistryAddRequest { Scope = "kept.example.com", Username = "u", Password = "p", Validate = false });
        var before = await host.SnapshotAsync();

        var add = Assert.ThrowsAsync<RegistryCredentialsException>(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com",
            Username = "u",
            Password = "p",
        }));
        var validate = Assert.ThrowsAsync<RegistryCredentialsException>(() => host.Manager.ValidateAsync(RegistryScope.Parse("kept.example.com")));

        Assert.Multiple(() =>
        {
            Assert.That(add!.Reason, Is.EqualTo(RegistryErrorReason.Misconfigured));
            Assert.That(validate!.Reason, Is.EqualTo(RegistryErrorReason.Misconfigured));
            Assert.That(add.Message, Does.Contain("IRegistryCredentialValidator"));
        });
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }
}
