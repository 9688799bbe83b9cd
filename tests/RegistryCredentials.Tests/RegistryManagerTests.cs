using Moq;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

public class RegistryManagerTests
{
    private TestHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new TestHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    [Test]
    public async Task Add_stores_entry_with_defaults_and_times_from_the_clock()
    {
        var entry = await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "Quay.IO/acme/*", Username = "ci", Password = TestHost.NewSecret() });

        Assert.Multiple(() =>
        {
            Assert.That(entry.Scope.Value, Is.EqualTo("quay.io/acme/*"));
            Assert.That(entry.Account, Is.EqualTo(RegistryAccounts.Default));
            Assert.That(entry.Name, Is.EqualTo("quay.io/acme/*"));
            Assert.That(entry.Type, Is.EqualTo(RegistryType.DockerV2));
            Assert.That(entry.VerifyTls, Is.True);
            Assert.That(entry.IsActive, Is.True);
            Assert.That(entry.Version, Is.EqualTo(1));
            Assert.That(entry.CreatedOn, Is.EqualTo(TestHost.Start));
            Assert.That(entry.UpdatedOn, Is.EqualTo(TestHost.Start));
        });
    }

    [Test]
    public async Task Add_guesses_the_type_from_the_host_unless_given()
    {
        _host.Dispose();
        _host = new TestHost(build: b => b.AddProvider<PassThroughProvider>());
        var guessed = await _host.AddAsync("myreg.azurecr.io", type: null);
        Assert.That(guessed.Type, Is.EqualTo(RegistryType.Azure));

        var given = await _host.AddAsync("other.azurecr.io", type: RegistryType.DockerV2);
        Assert.That(given.Type, Is.EqualTo(RegistryType.DockerV2));
    }

    [Test]
    public async Task Add_validates_the_credential_by_default_and_skips_when_asked()
    {
        var password = TestHost.NewSecret();
        await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com", Username = "ci", Password = password });
        _host.Validator.Verify(
            v => v.ValidateAsync(
                It.Is<RegistryEntry>(e => e.Scope.Value == "reg.example.com"),
                It.Is<RegistryCredential>(c => c.Username == "ci" && c.Secret.Reveal() == password),
                It.IsAny<CancellationToken>()),
            Times.Once);

        await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "reg2.example.com", Username = "ci", Password = password, Validate = false });
        _host.Validator.Verify(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [TestCase(RegistryValidationOutcome.Unauthorized)]
    [TestCase(RegistryValidationOutcome.NotARegistry)]
    [TestCase(RegistryValidationOutcome.Unreachable)]
    [TestCase(RegistryValidationOutcome.TlsFailure)]
    [TestCase(RegistryValidationOutcome.Timeout)]
    public async Task Rejected_add_throws_typed_error_and_leaves_the_store_unchanged(RegistryValidationOutcome outcome)
    {
        await _host.AddAsync("keep.example.com");
        var before = await _host.SnapshotAsync();
        _host.Validator
            .Setup(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RegistryValidationResult(outcome, "the registry said no"));

        var error = Assert.ThrowsAsync<RegistryValidationException>(() =>
            _host.Manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com", Username = "ci", Password = TestHost.NewSecret() }));

        Assert.That(error!.Outcome, Is.EqualTo(outcome));
        Assert.That(error.Message, Does.Contain("reg.example.com").And.Contain("the registry said no"));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Add_of_an_existing_scope_is_a_conflict_and_keeps_the_old_entry()
    {
        await _host.AddAsync("docker.io/acme/*", username: "first");
        var before = await _host.SnapshotAsync();

        // Another spelling of the same scope is the same key.
        var error = Assert.ThrowsAsync<RegistryConflictException>(() => _host.AddAsync("index.docker.io/acme/*", username: "second"));

        Assert.That(error!.Scope!.Value, Is.EqualTo("docker.io/acme/*"));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Add_with_replace_makes_the_newest_credential_win()
    {
        await _host.AddAsync("docker.io/acme", username: "first");
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        var replaced = await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "docker.io/acme", Username = "second", Password = "new-" + TestHost.NewSecret(), Replace = true, Validate = false,
        });

        Assert.Multiple(() =>
        {
            Assert.That(replaced.Username, Is.EqualTo("second"));
            Assert.That(replaced.Version, Is.EqualTo(2));
            Assert.That(replaced.CreatedOn, Is.EqualTo(TestHost.Start));
            Assert.That(replaced.UpdatedOn, Is.EqualTo(TestHost.Start.AddMinutes(5)));
        });
    }

    [TestCase("", "user", "e@x.io", typeof(RegistryScopeFormatException))]
    [TestCase("https://reg.example.com", "user", null, typeof(RegistryScopeFormatException))]
    [TestCase("reg.example.com", "", null, typeof(ArgumentException))]
    [TestCase("reg.example.com", "us\ner", null, typeof(ArgumentException))]
    [TestCase("reg.example.com", "a:b", null, typeof(RegistryCredentialsException))] // the docker_v2 provider refuses it (InvalidEntry)
    [TestCase("reg.example.com", "user", "not-an-email", typeof(ArgumentException))]
    [TestCase("reg.example.com", "user", "a@b@c", typeof(ArgumentException))]
    public async Task Bad_add_input_is_a_typed_error_and_changes_nothing(string scope, string username, string? email, Type expected)
    {
        await _host.AddAsync("keep.example.com");
        var before = await _host.SnapshotAsync();

        var error = Assert.CatchAsync(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope, Username = username, Password = TestHost.NewSecret(), Email = email, Validate = false,
        }));

        Assert.That(error, Is.InstanceOf(expected));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_password_of_exactly_64_KiB_in_UTF_8_is_stored_whole()
    {
        // 32768 × 'é' (two bytes each in UTF-8): 65536 bytes, 32768 characters.
        var password = new string('\u00e9', RegistryEntryLimits.MaxPasswordBytes / 2);
        await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com", Username = "ci", Password = password, Validate = false });

        var resolution = await _host.Resolver.ResolveAsync("reg.example.com/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo(password));
    }

    [Test]
    public async Task A_password_over_64_KiB_is_refused_naming_the_field_and_changes_nothing()
    {
        var kept = TestHost.NewSecret();
        await _host.AddAsync("keep.example.com", password: kept);
        var before = await _host.SnapshotAsync();
        var tooLarge = new string('\u00e9', RegistryEntryLimits.MaxPasswordBytes / 2) + "x"; // 65537 bytes in UTF-8

        var onAdd = Assert.ThrowsAsync<RegistryFieldException>(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com", Username = "ci", Password = tooLarge, Validate = false,
        }));
        var onReplace = Assert.ThrowsAsync<RegistryFieldException>(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "keep.example.com", Username = "ci", Password = tooLarge, Validate = false, Replace = true,
        }));
        var onUpdate = Assert.ThrowsAsync<RegistryFieldException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "keep.example.com", Password = tooLarge, Validate = false,
        }));

        foreach (var error in new[] { onAdd, onReplace, onUpdate })
        {
            Assert.Multiple(() =>
            {
                Assert.That(error!.Field, Is.EqualTo("Password"));
                Assert.That(error.ParamName, Is.EqualTo("Password"));
                Assert.That(error.Problem, Is.EqualTo(RegistryFieldProblem.TooLarge));
                Assert.That(error.Message, Does.Contain("64 KiB").And.Not.Contain("\u00e9\u00e9"));
            });
        }

        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That((await _host.Resolver.ResolveAsync("keep.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo(kept));
        _host.Validator.Verify(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    // An unpaired UTF-16 surrogate is what bytes that were not valid UTF-8 become when a front end decodes them without
    // checking (and what a JSON "\ud800" escape yields); encoded for storage it would silently turn into U+FFFD.
    [TestCase("Username")]
    [TestCase("Password")]
    [TestCase("Name")]
    [TestCase("Email")]
    public async Task Text_with_an_unpaired_surrogate_is_refused_naming_the_field_and_changes_nothing(string field)
    {
        var kept = TestHost.NewSecret();
        await _host.AddAsync("keep.example.com", username: "keeper", password: kept);
        var before = await _host.SnapshotAsync();
        var broken = "ab\ud800cd";
        var username = field == "Username" ? broken : "ci";
        var password = field == "Password" ? broken + TestHost.NewSecret() : TestHost.NewSecret();
        var name = field == "Name" ? broken : null;
        var email = field == "Email" ? "ops" + broken + "@example.com" : null;

        var onAdd = Assert.ThrowsAsync<RegistryFieldException>(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com", Username = username, Password = password, Name = name, Email = email, Validate = false,
        }));
        var onUpdate = Assert.ThrowsAsync<RegistryFieldException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "keep.example.com",
            Username = field == "Username" ? broken : null,
            Password = field == "Password" ? RegistrySecret.FromString(password) : null,
            Name = name,
            Email = email,
            Validate = false,
        }));

        foreach (var error in new[] { onAdd, onUpdate })
        {
            Assert.Multiple(() =>
            {
                Assert.That(error!.Field, Is.EqualTo(field));
                Assert.That(error.Problem, Is.EqualTo(RegistryFieldProblem.NotWellFormedText));
                Assert.That(error.Message, Does.Contain("UTF-8").And.Not.Contain(password));
            });
        }

        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That((await _host.Resolver.ResolveAsync("keep.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo(kept));
    }

    [Test]
    public async Task Well_formed_text_outside_the_basic_plane_and_a_real_replacement_character_are_kept()
    {
        // A surrogate pair (U+1F511) is well formed; U+FFFD itself is a character like any other here.
        var password = "key-\ud83d\udd11-\ufffd-" + TestHost.NewSecret();
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com",
            Username = "\ud83d\udd11user",
            Password = password,
            Validate = false,
        });

        var resolution = await _host.Resolver.ResolveAsync("reg.example.com/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo(password));
        Assert.That(resolution.Credential.Username, Is.EqualTo("\ud83d\udd11user"));
    }

    [Test]
    public async Task Bad_account_name_is_rejected()
    {
        var before = await _host.SnapshotAsync();
        Assert.ThrowsAsync<ArgumentException>(() => _host.AddAsync("reg.example.com", account: "no spaces"));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Type_without_provider_is_refused_at_add()
    {
        var before = await _host.SnapshotAsync();
        var error = Assert.ThrowsAsync<RegistryTypeNotSupportedException>(() => _host.AddAsync("123456789012.dkr.ecr.us-east-1.amazonaws.com"));
        Assert.That(error!.Type, Is.EqualTo(RegistryType.AwsEcr));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Built_in_validator_is_used_when_none_is_registered()
    {
        _host.Dispose();
        _host = new TestHost(withValidator: false);

        // Nothing listens on port 1 of the loopback address: the Docker v2 validator reports it unreachable.
        var error = Assert.ThrowsAsync<RegistryValidationException>(() =>
            _host.Manager.AddAsync(new RegistryAddRequest { Scope = "127.0.0.1:1", Username = "ci", Password = TestHost.NewSecret() }));

        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.Unreachable));
        Assert.That(error.Message, Does.Contain("127.0.0.1:1").And.Contain("refused"));
        Assert.That(await _host.Manager.ListAsync(), Is.Empty);
    }

    [Test]
    public async Task List_returns_the_account_entries_ordered_by_scope()
    {
        await _host.AddAsync("zeta.example.com");
        await _host.AddAsync("alpha.example.com/b");
        await _host.AddAsync("alpha.example.com");
        await _host.AddAsync("other.example.com", account: "team-b");

        var scopes = (await _host.Manager.ListAsync()).Select(e => e.Scope.Value);
        Assert.That(scopes, Is.EqualTo(new[] { "alpha.example.com", "alpha.example.com/b", "zeta.example.com" }));
        Assert.That((await _host.Manager.ListAsync("team-b")).Select(e => e.Scope.Value), Is.EqualTo(new[] { "other.example.com" }));
    }

    [Test]
    public async Task Get_finds_any_spelling_of_the_scope_and_reports_missing_ones()
    {
        await _host.AddAsync("docker.io/acme/*");
        var entry = await _host.Manager.GetAsync("registry-1.docker.io/acme/*");
        Assert.That(entry.Scope.Value, Is.EqualTo("docker.io/acme/*"));

        var error = Assert.ThrowsAsync<RegistryNotFoundException>(() => _host.Manager.GetAsync("docker.io/other/*"));
        Assert.That(error!.Message, Does.Contain("docker.io/other/*"));
        Assert.That(error.Account, Is.EqualTo(RegistryAccounts.Default));
    }

    [Test]
    public async Task Accounts_are_isolated()
    {
        await _host.AddAsync("reg.example.com", username: "a", account: "team-a");
        await _host.AddAsync("reg.example.com", username: "b", account: "team-b");

        Assert.That((await _host.Manager.GetAsync("reg.example.com", "team-a")).Username, Is.EqualTo("a"));
        Assert.That((await _host.Manager.GetAsync("reg.example.com", "team-b")).Username, Is.EqualTo("b"));
        Assert.ThrowsAsync<RegistryNotFoundException>(() => _host.Manager.GetAsync("reg.example.com"));
        await _host.Manager.DeleteAsync("reg.example.com", "team-a");
        Assert.That((await _host.Manager.GetAsync("reg.example.com", "team-b")).Username, Is.EqualTo("b"));
    }

    [Test]
    public async Task Update_changes_fields_keeps_scope_and_password_when_omitted()
    {
        var password = TestHost.NewSecret();
        await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com", Username = "ci", Password = password, Validate = false });
        _host.Time.Advance(TimeSpan.FromHours(1));

        var updated = await _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "reg.example.com", Username = "ci2", Name = "Team registry", Email = "ops@example.com", VerifyTls = false,
        });

        Assert.Multiple(() =>
        {
            Assert.That(updated.Scope.Value, Is.EqualTo("reg.example.com"));
            Assert.That(updated.Username, Is.EqualTo("ci2"));
            Assert.That(updated.Name, Is.EqualTo("Team registry"));
            Assert.That(updated.Email, Is.EqualTo("ops@example.com"));
            Assert.That(updated.VerifyTls, Is.False);
            Assert.That(updated.Version, Is.EqualTo(2));
            Assert.That(updated.CreatedOn, Is.EqualTo(TestHost.Start));
            Assert.That(updated.UpdatedOn, Is.EqualTo(TestHost.Start.AddHours(1)));
        });

        // The validator saw the old password with the new user name.
        _host.Validator.Verify(
            v => v.ValidateAsync(
                It.Is<RegistryEntry>(e => e.Username == "ci2"),
                It.Is<RegistryCredential>(c => c.Secret.Reveal() == password),
                It.IsAny<CancellationToken>()),
            Times.Once);
        var resolution = await _host.Resolver.ResolveAsync("reg.example.com/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo(password));
    }

    [Test]
    public async Task Update_with_a_new_password_is_what_resolves_next()
    {
        await _host.AddAsync("reg.example.com", password: TestHost.NewSecret());
        var newPassword = TestHost.NewSecret();
        await _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Password = newPassword, Validate = false });

        var resolution = await _host.Resolver.ResolveAsync("reg.example.com/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo(newPassword));
    }

    [Test]
    public async Task Rejected_update_leaves_the_store_unchanged()
    {
        await _host.AddAsync("reg.example.com");
        var before = await _host.SnapshotAsync();
        _host.Validator
            .Setup(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401"));

        Assert.ThrowsAsync<RegistryValidationException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "reg.example.com", Username = "other", Password = TestHost.NewSecret(),
        }));
        Assert.ThrowsAsync<ArgumentException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "reg.example.com", Email = "nope", Validate = false,
        }));
        Assert.ThrowsAsync<RegistryNotFoundException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "missing.example.com", Username = "x", Validate = false,
        }));
        Assert.ThrowsAsync<RegistryScopeFormatException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "http://reg.example.com", Username = "x", Validate = false,
        }));

        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Update_with_a_stale_expected_version_is_a_concurrency_conflict()
    {
        await _host.AddAsync("reg.example.com");
        await _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Name = "v2", Validate = false });
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<RegistryConcurrencyException>(() => _host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "reg.example.com", Name = "stale", ExpectedVersion = 1, Validate = false,
        }));

        Assert.That(error!.ExpectedVersion, Is.EqualTo(1));
        Assert.That(error.ActualVersion, Is.EqualTo(2));
        Assert.That(error, Is.InstanceOf<RegistryConflictException>());
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Concurrent_updates_one_wins_the_other_gets_a_typed_conflict()
    {
        await _host.AddAsync("reg.example.com");
        var first = _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Name = "a", ExpectedVersion = 1, Validate = false });
        var second = _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Name = "b", ExpectedVersion = 1, Validate = false });
        var results = await Task.WhenAll(Wrap(first), Wrap(second));

        Assert.That(results.Count(r => r is RegistryEntry), Is.EqualTo(1));
        Assert.That(results.Count(r => r is RegistryConcurrencyException), Is.EqualTo(1));
        Assert.That((await _host.Manager.GetAsync("reg.example.com")).Version, Is.EqualTo(2));

        static async Task<object> Wrap(Task<RegistryEntry> task)
        {
            try
            {
                return await task;
            }
            catch (RegistryConcurrencyException e)
            {
                return e;
            }
        }
    }

    [Test]
    public async Task Deactivate_keeps_entry_and_secret_and_activate_needs_no_password()
    {
        var password = TestHost.NewSecret();
        await _host.AddAsync("reg.example.com", password: password);

        var inactive = await _host.Manager.DeactivateAsync("reg.example.com");
        Assert.That(inactive.IsActive, Is.False);
        Assert.That(inactive.Version, Is.EqualTo(2));
        Assert.That((await _host.Resolver.ResolveAsync("reg.example.com/app")).DenialReason, Is.EqualTo(RegistryDenialReason.EntryInactive));

        // Deactivating twice changes nothing.
        Assert.That((await _host.Manager.DeactivateAsync("reg.example.com")).Version, Is.EqualTo(2));

        var active = await _host.Manager.ActivateAsync("reg.example.com");
        Assert.That(active.IsActive, Is.True);
        var resolution = await _host.Resolver.ResolveAsync("reg.example.com/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo(password));
        _host.Validator.Verify(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Delete_removes_the_entry_and_its_cached_credential()
    {
        await _host.AddAsync("reg.example.com");
        Assert.That((await _host.Resolver.ResolveAsync("reg.example.com/app")).HasCredential, Is.True);

        await _host.Manager.DeleteAsync("reg.example.com");

        Assert.That(await _host.Store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")), Is.Null);
        Assert.That((await _host.Resolver.ResolveAsync("reg.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.ThrowsAsync<RegistryNotFoundException>(() => _host.Manager.DeleteAsync("reg.example.com"));
    }

    [Test]
    public async Task Delete_with_the_current_expected_version_removes_the_entry()
    {
        var entry = await _host.AddAsync("reg.example.com");

        await _host.Manager.DeleteAsync(entry.Scope, expectedVersion: entry.Version);

        Assert.That(await _host.Store.GetAsync(RegistryAccounts.Default, entry.Scope), Is.Null);
    }

    [Test]
    public async Task Delete_with_a_stale_expected_version_is_a_concurrency_conflict_and_keeps_the_entry()
    {
        var entry = await _host.AddAsync("reg.example.com");
        await _host.Manager.DeactivateAsync(entry.Scope);
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<RegistryConcurrencyException>(() => _host.Manager.DeleteAsync(entry.Scope, expectedVersion: entry.Version));

        Assert.Multiple(async () =>
        {
            Assert.That(error!.ExpectedVersion, Is.EqualTo(1));
            Assert.That(error.ActualVersion, Is.EqualTo(2));
            Assert.That(error.Scope, Is.EqualTo(entry.Scope));
            Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Delete_with_an_expected_version_of_a_missing_entry_is_not_found()
    {
        var before = await _host.SnapshotAsync();
        Assert.ThrowsAsync<RegistryNotFoundException>(() => _host.Manager.DeleteAsync(RegistryScope.Parse("reg.example.com"), expectedVersion: 1));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Validate_checks_a_stored_entry_without_changing_it()
    {
        await _host.AddAsync("reg.example.com");
        var before = await _host.SnapshotAsync();
        _host.Validator
            .Setup(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RegistryValidationResult(RegistryValidationOutcome.Unreachable, "connection refused"));

        var result = await _host.Manager.ValidateAsync("reg.example.com");

        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Unreachable));
        Assert.That(result.IsValid, Is.False);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    /// <summary>A provider for a non-core type, to show the manager accepts types that have one.</summary>
    public sealed class PassThroughProvider : RegistryCredentialProvider
    {
        public override RegistryType Type => RegistryType.Azure;

        public override ValueTask<RegistryCredential> GetCredentialAsync(
            RegistryEntry entry,
            RegistrySecret secret,
            CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(RegistryCredential.FromUsernamePassword(entry.Username, secret));
    }
}
