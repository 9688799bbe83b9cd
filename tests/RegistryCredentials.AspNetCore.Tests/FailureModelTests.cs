using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Tests.Support;
using RegistryCredentials.Aws;
using RegistryCredentials.Azure;
using RegistryCredentials.Google;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// The one failure model over HTTP (issue 13): every <see cref="RegistryErrorReason"/> answers the status and problem type
/// of <see cref="RegistryErrorCatalog"/>, with <c>code</c> and <c>transient</c>; the three providers' entry refusals are a
/// 400 naming the field; server-side failures (secret key, store) are mapped problems that do not repeat their cause,
/// which goes to the log. Every refused request leaves the store as it was.
/// </summary>
public class FailureModelTests
{
    private static IEnumerable<RegistryErrorReason> Reasons => Enum.GetValues<RegistryErrorReason>();

    [Test]
    public void Every_problem_type_of_the_table_is_a_documented_problem_type()
    {
        var documented = typeof(RegistryProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.That(RegistryErrorCatalog.All.Select(m => m.ProblemType).Distinct(), Is.SubsetOf(documented));
    }

    [TestCaseSource(nameof(Reasons))]
    public async Task Every_reason_answers_the_status_and_type_of_the_table(RegistryErrorReason reason)
    {
        // The cause stands for what a server-side failure may name (a file, a host): shown for 4xx, only logged for 5xx.
        var cause = "cause-" + Guid.NewGuid().ToString("N");
        var provider = new FailingProvider(() => new RegistryCredentialsException(reason, $"The test provider failed ({cause}).", null) { Field = "Password" });
        await using var host = await ApiHost.StartAsync(o => o.Services = s => s.AddSingleton<RegistryCredentialProvider>(provider));
        using var alice = host.Client("alice");
        await (await alice.AddAsync("kept.example.com")).ExpectAsync(201);
        var before = await host.SnapshotAsync();
        var mapping = RegistryErrorCatalog.For(reason);

        var problem = await (await alice.PostEntryAsync(new
        {
            registry = "reg.example.com",
            registry_type = FailingProvider.TestType.Value,
            registry_user = "u",
            registry_pass = "p",
        }))
            .ExpectAsync(mapping.HttpStatus, mapping.ProblemType);

        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo(mapping.Title));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(reason.ToString()));
            Assert.That(problem.GetProperty("transient").GetBoolean(), Is.EqualTo(mapping.IsTransient));
            if (mapping.HttpStatus >= 500)
            {
                Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain(cause), "a 5xx problem does not repeat its cause");
                Assert.That(host.Logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal)), Has.Some.Contain(cause), "the cause is logged");
            }
            else
            {
                Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(cause));
                Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("registry_pass"));
            }
        });
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    // Issue 13: a provider refusing an entry in CheckEntryAsync is a 400 naming the field, for each of the three providers.
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com", "_iam_role", "not-a-role-arn", RegistryProblemTypes.InvalidField,
        "registry_pass", RegistryErrorReason.InvalidEntry, TestName = "Ecr_refuses_a_malformed_iam_role_password")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com", "not an access key", "secret", RegistryProblemTypes.InvalidField,
        "registry_user", RegistryErrorReason.InvalidEntry, TestName = "Ecr_refuses_a_user_name_that_is_no_access_key")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com", "awsauto", "awsauto", RegistryProblemTypes.NotAllowed,
        "registry_user", RegistryErrorReason.NotAllowed, TestName = "Ecr_refuses_awsauto_while_it_is_off")]
    [TestCase("gcr.io", "_json_key", "{\"type\": \"service_account\", \"private_key\": ", RegistryProblemTypes.InvalidField,
        "registry_pass", RegistryErrorReason.InvalidEntry, TestName = "Google_refuses_a_malformed_key")]
    [TestCase("gcr.io", "_dcgcr_auto", "-", RegistryProblemTypes.NotAllowed, "registry_user",
        RegistryErrorReason.NotAllowed, TestName = "Google_refuses_application_default_credentials_while_they_are_off")]
    [TestCase("myregistry.azurecr.io", "default", "unused", RegistryProblemTypes.NotAllowed, "registry_user",
        RegistryErrorReason.NotAllowed, TestName = "Azure_refuses_DefaultAzureCredential_while_it_is_off")]
    [TestCase("myregistry.azurecr.io", "managed-identity:puller", "unused", RegistryProblemTypes.InvalidField,
        "registry_user", RegistryErrorReason.InvalidEntry, TestName = "Azure_refuses_a_malformed_managed_identity")]
    public async Task A_provider_refusing_an_entry_is_400_naming_the_field(
        string registry,
        string user,
        string password,
        string type,
        string field,
        RegistryErrorReason reason)
    {
        await using var host = await ApiHost.StartAsync(o => o.Build = b => b.AddAwsEcr().AddGoogle().AddAzure());
        using var alice = host.Client("alice");
        await (await alice.AddAsync("kept.example.com")).ExpectAsync(201);
        var before = await host.SnapshotAsync();

        // Validation is asked for: the provider refuses the entry before anything reaches the network.
        var added = await (await alice.PostEntryAsync(new { registry, registry_user = user, registry_pass = password }, validate: true)).ExpectAsync(400, type);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before), "the refused add stored nothing");

        // An entry the provider accepts, then an update it refuses.
        var accepted = registry == "gcr.io" ? GoogleUsernames.AccessToken : "AKIAIOSFODNN7EXAMPLE";
        await (await alice.PostEntryAsync(new { registry, registry_user = accepted, registry_pass = "p" })).ExpectAsync(201);
        before = await host.SnapshotAsync();
        var updated = await (await alice.PutEntryAsync(registry, new { registry_user = user, registry_pass = password })).ExpectAsync(400, type);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before), "the refused update changed nothing");

        Assert.Multiple(() =>
        {
            foreach (var problem in new[] { added, updated })
            {
                Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo(field));
                Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(reason.ToString()));
                Assert.That(problem.GetProperty("transient").GetBoolean(), Is.False);
                Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
                if (password is not ("awsauto" or "-" or "unused"))
                {
                    Assert.That(problem.GetRawText(), Does.Not.Contain(password), "the secret is never echoed");
                }
            }
        });
    }

    [Test]
    public async Task A_secret_key_that_does_not_fit_the_store_is_a_500_secret_key_problem_and_changes_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("rc-api-key-").FullName;
        try
        {
            var path = Path.Combine(directory, "registries.db");
            var written = AesGcmSecretProtector.GenerateKey();
            await using (var first = await ApiHost.StartAsync(o => o.Build = b => b.UseSqliteStore(path).UseSecretProtection(p => p.Key = written)))
            {
                using var client = first.Client("alice");
                await (await client.AddAsync("docker.io/acme/*", "kept-secret")).ExpectAsync(201);
            }

            await using var host = await ApiHost.StartAsync(o =>
                 o.Build = b =>
                b.UseSqliteStore(path).UseSecretProtection(p => p.Key = AesGcmSecretProtector.GenerateKey()));
            using var alice = host.Client("alice");
            var before = await host.SnapshotAsync();

            var resolve = await (await alice.GetAsync("/registries/_resolve?image=acme/app:1")).ExpectAsync(500, RegistryProblemTypes.SecretKey);
            var add = await (await alice.AddAsync("quay.io", "new-secret")).ExpectAsync(500, RegistryProblemTypes.SecretKey);

            Assert.Multiple(() =>
            {
                foreach (var problem in new[] { resolve, add })
                {
                    Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(nameof(RegistryErrorReason.SecretKey)));
                    Assert.That(problem.GetProperty("transient").GetBoolean(), Is.False);
                }

                Assert.That(host.Logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal)), Has.Some.Contain(nameof(RegistrySecretKeyException)));
            });
            Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
        }
        finally
        {
            DeleteQuietly(directory);
        }
    }

    [TestCase(false, 500, RegistryProblemTypes.StoreIncompatible, TestName = "A_store_file_that_is_not_a_database_is_500_store_incompatible_and_left_alone")]
    [TestCase(true, 503, RegistryProblemTypes.StoreUnavailable, TestName = "A_store_path_that_is_a_folder_is_503_store_unavailable")]
    public async Task Store_failures_are_mapped_problems(bool folder, int status, string type)
    {
        var directory = Directory.CreateTempSubdirectory("rc-api-store-").FullName;
        try
        {
            var path = Path.Combine(directory, "registries.db");
            if (folder)
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                await File.WriteAllTextAsync(path, "not a database");
            }

            await using var host = await ApiHost.StartAsync(o =>
                 o.Build = b =>
                b.UseSqliteStore(path).UseSecretProtection(p => p.Key = AesGcmSecretProtector.GenerateKey()));
            using var alice = host.Client("alice");

            var problem = await (await alice.GetAsync("/registries")).ExpectAsync(status, type);

            Assert.Multiple(() =>
            {
                Assert.That(
                    problem.GetProperty("code").GetString(),
                    Is.EqualTo(folder ? nameof(RegistryErrorReason.StoreUnavailable) : nameof(RegistryErrorReason.StoreIncompatible)));
                Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain(directory), "the server's path is not shown");
                Assert.That(host.Logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal)), Has.Some.Contain(nameof(SqliteStoreException)));
            });
            if (!folder)
            {
                Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("not a database"));
            }
        }
        finally
        {
            DeleteQuietly(directory);
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A provider of the test type <c>test_failing</c> whose entry check throws the exception a test chooses.</summary>
    private sealed class FailingProvider(Func<Exception> failure) : RegistryCredentialProvider
    {
        public static readonly RegistryType TestType = RegistryType.Parse("test_failing");

        public override RegistryType Type => TestType;

        public override ValueTask<RegistryCredential> GetCredentialAsync(
            RegistryEntry entry,
            RegistrySecret secret,
            CancellationToken cancellationToken = default) =>
            throw failure();

        public override ValueTask CheckEntryAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default) =>
            throw failure();
    }
}
