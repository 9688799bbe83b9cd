using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RegistryCredentials.AspNetCore.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;
using static Microsoft.Playwright.Assertions;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// The management page in a real browser (Debian's Chromium through Playwright) against a real Kestrel on 127.0.0.1, with
/// the real credential validator. Each test signs in as its own user, so each sees an empty table of its own account.
/// </summary>
[Category("Browser")]
[NonParallelizable]
public class BrowserTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private ApiHost _host = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private string _user = null!;
    private readonly ConcurrentQueue<string> _problems = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await ApiHost.StartAsync(o =>
        {
            o.Kestrel = true;
            o.Validator = null; // the real Docker Registry v2 validator
        });
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [SetUp]
    public async Task OpenAsync()
    {
        _user = "u" + Guid.NewGuid().ToString("N")[..12];
        _context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        _context.SetDefaultTimeout(15_000);

        // Anything but the test server is refused and reported: the browser must never reach the internet.
        await _context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host == "127.0.0.1" && url.Port == _host.BaseAddress.Port)
            {
                await route.ContinueAsync();
            }
            else
            {
                _problems.Enqueue("request outside the test server: " + route.Request.Url);
                await route.AbortAsync();
            }
        });
        _page = await _context.NewPageAsync();
        _page.Console += (_, message) =>
        {
            // Chromium logs every 4xx/5xx fetch as "Failed to load resource"; the tests provoke those on purpose.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _problems.Enqueue("console error: " + message.Text);
            }
        };
        _page.PageError += (_, error) => _problems.Enqueue("page error: " + error);
        await _page.GotoAsync(new Uri(_host.BaseAddress, "/test-login?user=" + _user).ToString());
        await Expect(_page.Locator("#empty")).ToBeVisibleAsync();
    }

    [TearDown]
    public async Task CloseAsync()
    {
        await _context.CloseAsync();
        Assert.That(_problems, Is.Empty, "no CSP violation, script error or outside request");
        _problems.Clear();
    }

    private ILocator Row(string scope) => _page.Locator($"tr[data-registry=\"{scope}\"]");

    private async Task ReloadAsync()
    {
        await _page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.NetworkIdle });
    }

    private Task<RegistryEntry> SeedAsync(string scope, string password = "seeded-secret", bool active = true) =>
        _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope,
            Username = "ci",
            Password = password,
            Account = _user,
            Validate = false,
            IsActive = active,
        });

    [Test]
    public async Task Add_registry_stores_it_and_shows_it_in_the_table()
    {
        await _page.GetByRole(AriaRole.Button, new() { Name = "Add registry" }).ClickAsync();
        await Expect(_page.Locator("#entry-dialog")).ToBeVisibleAsync();
        await Expect(_page.Locator("#f-registry-hint")).ToContainTextAsync("Do not prefix it with https://");
        await _page.GetByLabel("Registry address").FillAsync("registry.example.com:5000/team/*");
        await _page.GetByLabel("Display name").FillAsync("Team registry");
        await _page.GetByLabel("Type").SelectOptionAsync("docker_v2");
        await _page.GetByLabel("User name").FillAsync("ci-puller");
        await _page.GetByLabel("E-mail").FillAsync("ci@example.com");
        await _page.GetByLabel("Password or token").FillAsync("browser-secret");
        await _page.GetByLabel("Check the credential against the registry before saving").UncheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(_page.Locator("#entry-dialog")).ToBeHiddenAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Added registry.example.com:5000/team/*.");
        var row = Row("registry.example.com:5000/team/*");
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("Active");
        await Expect(row.Locator("th")).ToHaveTextAsync("registry.example.com:5000/team/*");
        await Expect(row).ToContainTextAsync("Team registry");
        await Expect(row).ToContainTextAsync("docker_v2");
        await Expect(row).ToContainTextAsync("ci-puller");
        await Expect(row).ToContainTextAsync("ci@example.com");
        await Expect(row).ToContainTextAsync("Verified");
        await Expect(row.Locator("td").Nth(6)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d{4}-\\d{2}-\\d{2}\\d{2}:\\d{2}$"));
        Assert.That(await row.Locator("td time").First.GetAttributeAsync("datetime"), Does.EndWith("Z"));

        var stored = await _host.Manager.GetAsync("registry.example.com:5000/team/*", _user);
        Assert.That(stored.Name, Is.EqualTo("Team registry"));
        Assert.That(await _host.StoredPasswordAsync("registry.example.com:5000/team/app", _user), Is.EqualTo("browser-secret"));
        Assert.That(await _page.ContentAsync(), Does.Not.Contain("browser-secret"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Adding_an_existing_registry_replaces_it_only_when_the_user_confirms(bool confirm)
    {
        var first = await SeedAsync("registry.example.com:5000/team", password: "old-secret");
        var dialogs = new List<string>();
        _page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await (confirm ? dialog.AcceptAsync() : dialog.DismissAsync());
        };

        await _page.GetByRole(AriaRole.Button, new() { Name = "Add registry" }).ClickAsync();
        await _page.GetByLabel("Registry address").FillAsync("registry.example.com:5000/team");
        await _page.GetByLabel("User name").FillAsync("new-user");
        await _page.GetByLabel("Password or token").FillAsync("new-secret");
        await _page.GetByLabel("Check the credential against the registry before saving").UncheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        var stored = await _host.Manager.GetAsync("registry.example.com:5000/team", _user);
        if (confirm)
        {
            // Rancher: the newest credential wins; the entry keeps its creation date.
            await Expect(_page.Locator("#status")).ToHaveTextAsync("Replaced registry.example.com:5000/team.");
            stored = await _host.Manager.GetAsync("registry.example.com:5000/team", _user);
            Assert.That(stored.Username, Is.EqualTo("new-user"));
            Assert.That(stored.CreatedOn, Is.EqualTo(first.CreatedOn));
            Assert.That(await _host.StoredPasswordAsync("registry.example.com:5000/team:1", _user), Is.EqualTo("new-secret"));
        }
        else
        {
            await Expect(_page.Locator("#form-error")).ToContainTextAsync("already exists");
            Assert.That(stored, Is.EqualTo(first));
            Assert.That(await _host.StoredPasswordAsync("registry.example.com:5000/team:1", _user), Is.EqualTo("old-secret"));
        }

        Assert.That(dialogs, Has.Count.EqualTo(1));
        Assert.That(dialogs[0], Does.Contain("registry.example.com:5000/team already exists"));
    }

    [Test]
    public async Task An_address_with_https_is_refused_in_the_form_saying_to_drop_it()
    {
        await _page.GetByRole(AriaRole.Button, new() { Name = "Add registry" }).ClickAsync();
        await _page.GetByLabel("Registry address").FillAsync("https://registry.example.com");
        await _page.GetByLabel("User name").FillAsync("ci");
        await _page.GetByLabel("Password or token").FillAsync("pw");
        await _page.GetByLabel("Check the credential against the registry before saving").UncheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        var error = _page.Locator("#form-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("Error: Invalid registry scope");
        await Expect(error).ToContainTextAsync("drop the scheme 'https://'");
        await Expect(_page.Locator("#entry-dialog")).ToBeVisibleAsync();
        Assert.That(await _host.Manager.ListAsync(_user), Is.Empty);
    }

    [Test]
    public async Task Edit_shows_the_address_read_only_and_an_empty_password_keeps_the_stored_one()
    {
        await SeedAsync("docker.io/acme/*", "kept-secret");
        await ReloadAsync();

        await Row("docker.io/acme/*").GetByRole(AriaRole.Button, new() { Name = "Edit docker.io/acme/*" }).ClickAsync();
        await Expect(_page.Locator("#entry-dialog-title")).ToHaveTextAsync("Edit registry");
        await Expect(_page.GetByLabel("Registry address")).ToHaveValueAsync("docker.io/acme/*");
        await Expect(_page.GetByLabel("Registry address")).Not.ToBeEditableAsync();
        await Expect(_page.GetByLabel("Password or token")).ToHaveValueAsync(string.Empty);
        await Expect(_page.Locator("#f-pass-hint")).ToHaveTextAsync("Leave empty to keep the stored password.");
        await _page.GetByLabel("Display name").FillAsync("Acme on Hub");
        await _page.GetByLabel("User name").FillAsync("acme-ci");
        await _page.GetByLabel("Check the credential against the registry before saving").UncheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(_page.Locator("#status")).ToHaveTextAsync("Saved docker.io/acme/*.");
        await Expect(Row("docker.io/acme/*")).ToContainTextAsync("Acme on Hub");
        var stored = await _host.Manager.GetAsync("docker.io/acme/*", _user);
        Assert.That((stored.Name, stored.Username, stored.Version), Is.EqualTo(("Acme on Hub", "acme-ci", 2L)));
        Assert.That(await _host.StoredPasswordAsync("acme/app", _user), Is.EqualTo("kept-secret"));
        Assert.That(await _page.ContentAsync(), Does.Not.Contain("kept-secret"));
    }

    [Test]
    public async Task Deactivate_and_activate_change_the_state_in_words()
    {
        await SeedAsync("quay.io/partner/*");
        await ReloadAsync();
        var row = Row("quay.io/partner/*");

        await row.GetByRole(AriaRole.Button, new() { Name = "Deactivate quay.io/partner/*" }).ClickAsync();
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("Inactive");
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Deactivated quay.io/partner/*.");
        Assert.That((await _host.Manager.GetAsync("quay.io/partner/*", _user)).IsActive, Is.False);

        await row.GetByRole(AriaRole.Button, new() { Name = "Activate quay.io/partner/*" }).ClickAsync();
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("Active");
        Assert.That((await _host.Manager.GetAsync("quay.io/partner/*", _user)).IsActive, Is.True);
        Assert.That(await _host.StoredPasswordAsync("quay.io/partner/tool", _user), Is.EqualTo("seeded-secret"));
    }

    [Test]
    public async Task Delete_asks_for_confirmation_first()
    {
        await SeedAsync("ghcr.io/acme/*");
        await ReloadAsync();

        await Row("ghcr.io/acme/*").GetByRole(AriaRole.Button, new() { Name = "Delete ghcr.io/acme/*" }).ClickAsync();
        await Expect(_page.Locator("#confirm-dialog")).ToBeVisibleAsync();
        await Expect(_page.Locator("#confirm-text")).ToContainTextAsync("Delete the credential for ghcr.io/acme/*?");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(_page.Locator("#confirm-dialog")).ToBeHiddenAsync();
        Assert.That(await _host.Manager.ListAsync(_user), Has.Count.EqualTo(1));

        await Row("ghcr.io/acme/*").GetByRole(AriaRole.Button, new() { Name = "Delete ghcr.io/acme/*" }).ClickAsync();
        await _page.Locator("#confirm-delete").ClickAsync();
        await Expect(Row("ghcr.io/acme/*")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Deleted ghcr.io/acme/*.");
        await Expect(_page.Locator("#empty")).ToBeVisibleAsync();
        Assert.That(await _host.Manager.ListAsync(_user), Is.Empty);
    }

    [Test]
    public async Task Settings_are_saved_and_used_at_once()
    {
        var policies = _host.Services.GetRequiredService<IRegistryPolicyManager>();
        try
        {
            await Expect(_page.Locator("#allowed-registries-hint")).ToContainTextAsync("Docker Hub is allowed only if docker.io or index.docker.io is listed");
            await _page.GetByLabel("Default registry").FillAsync("reg.example.com");
            await _page.GetByLabel("Allowed registries").FillAsync("reg.example.com\n*.example.org\n");
            await _page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(_page.Locator("#settings-status")).ToHaveTextAsync("Settings saved.");
            var saved = await policies.GetPolicyAsync(_user);
            Assert.That(saved.DefaultRegistry, Is.EqualTo("reg.example.com"), "the page writes its user's policy in the store");
            Assert.That(saved.AllowedRegistries, Is.EqualTo(new[] { "reg.example.com", "*.example.org" }));

            await _page.GetByLabel("Image reference").FillAsync("ubuntu:22.04");
            await _page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
            await Expect(_page.Locator("#try-result")).ToContainTextAsync("Pulls from reg.example.com/ubuntu");
            await _page.GetByLabel("Image reference").FillAsync("docker.io/library/nginx");
            await _page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
            await Expect(_page.Locator("#try-result")).ToContainTextAsync("Denied");
            await Expect(_page.Locator("#try-result")).ToContainTextAsync("registry_not_allowed");

            await _page.GetByLabel("Default registry").FillAsync("https://reg.example.com");
            await _page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(_page.Locator("#settings-error")).ToContainTextAsync("drop the scheme");
            Assert.That((await policies.GetPolicyAsync(_user)).Version, Is.EqualTo(saved.Version), "a refused write stores nothing");

            await ReloadAsync();
            await Expect(_page.GetByLabel("Default registry")).ToHaveValueAsync("reg.example.com");
        }
        finally
        {
            await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = string.Empty, AllowedRegistries = [] }, _user);
        }
    }

    [Test]
    public async Task Try_an_image_shows_how_a_reference_resolves()
    {
        await SeedAsync("docker.io/acme/*");
        await SeedAsync("quay.io/partner/*", active: false);
        await ReloadAsync();
        var image = _page.GetByLabel("Image reference");
        var resolve = _page.GetByRole(AriaRole.Button, new() { Name = "Resolve" });
        var result = _page.Locator("#try-result");

        await image.FillAsync("acme/app:1.2");
        await resolve.ClickAsync();
        await Expect(result).ToContainTextAsync("Uses a stored credential");
        await Expect(result).ToContainTextAsync("with the credential of docker.io/acme/* (user ci)");

        await image.FillAsync("nginx");
        await image.PressAsync("Enter");
        await Expect(result).ToContainTextAsync("Anonymous pull");
        await Expect(result).ToContainTextAsync("Pulls from docker.io/library/nginx");

        await image.FillAsync("quay.io/partner/tool:3");
        await resolve.ClickAsync();
        await Expect(result).ToContainTextAsync("Denied");
        await Expect(result).ToContainTextAsync("entry_inactive");

        await image.FillAsync("nginx:-bad");
        await resolve.ClickAsync();
        await Expect(result).ToContainTextAsync("Error: Invalid image reference");
        Assert.That(await _page.ContentAsync(), Does.Not.Contain("seeded-secret"));
    }

    [Test]
    [Category("RealRegistry")]
    public async Task Validation_failures_from_the_real_registry_are_shown_in_the_form_with_their_reason()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls, pushImage: false);
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Registry,
            Username = registry.Username,
            Password = registry.Password,
            CaCertificates = registry.CaPem,
            Account = _user,
        }); // validated for real: the registry accepts it
        var before = await _host.SnapshotAsync();
        await ReloadAsync();

        // Edit with a wrong password: the registry answers 401, the form says Unauthorized, nothing changes.
        await Row(registry.Registry).GetByRole(AriaRole.Button, new() { Name = "Edit " + registry.Registry }).ClickAsync();
        await _page.GetByLabel("Password or token").FillAsync("wrong-" + Guid.NewGuid().ToString("N"));
        await Expect(_page.GetByLabel("Check the credential against the registry before saving")).ToBeCheckedAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        var error = _page.Locator("#form-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("Validation failed (Unauthorized)");
        await Expect(_page.Locator("#entry-dialog")).ToBeVisibleAsync();
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
        await _page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // Add the same registry under another path without its CA: TLS verification fails, and the form names it.
        await _page.GetByRole(AriaRole.Button, new() { Name = "Add registry" }).ClickAsync();
        await _page.GetByLabel("Registry address").FillAsync(registry.Registry + "/other");
        await _page.GetByLabel("User name").FillAsync(registry.Username);
        await _page.GetByLabel("Password or token").FillAsync(registry.Password);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(error).ToContainTextAsync("Validation failed (TlsFailure)");
        await Expect(error).ToContainTextAsync("untrusted");
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await _page.ContentAsync(), Does.Not.Contain(registry.Password));
    }

    [Test]
    public async Task A_registry_can_be_added_with_the_keyboard_alone()
    {
        await _page.Keyboard.PressAsync("Tab");
        Assert.That(await _page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("add-button"), "Add registry is the first stop");
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.Locator("#entry-dialog")).ToBeVisibleAsync();
        Assert.That(await _page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("f-registry"));

        async Task TabToAsync(string id)
        {
            await _page.Keyboard.PressAsync("Tab");
            Assert.That(await _page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo(id));
        }

        await _page.Keyboard.TypeAsync("kb.example.com/team/*");
        await TabToAsync("f-name");
        await _page.Keyboard.TypeAsync("Keyboard");
        await TabToAsync("f-type");
        await TabToAsync("f-user");
        await _page.Keyboard.TypeAsync("kb-user");
        await TabToAsync("f-email");
        await TabToAsync("f-pass");
        await _page.Keyboard.TypeAsync("kb-secret");
        await TabToAsync("f-verify");
        await TabToAsync("f-validate");
        await _page.Keyboard.PressAsync("Space");
        await Expect(_page.Locator("#f-validate")).Not.ToBeCheckedAsync();
        await TabToAsync("f-save");
        await _page.Keyboard.PressAsync("Enter");

        await Expect(_page.Locator("#entry-dialog")).ToBeHiddenAsync();
        await Expect(Row("kb.example.com/team/*")).ToContainTextAsync("Keyboard");
        Assert.That(await _page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("add-button"), "focus returns to where it was");
        Assert.That(await _host.StoredPasswordAsync("kb.example.com/team/app", _user), Is.EqualTo("kb-secret"));

        // Escape closes the dialog without saving.
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.Locator("#entry-dialog")).ToBeVisibleAsync();
        await _page.Keyboard.PressAsync("Escape");
        await Expect(_page.Locator("#entry-dialog")).ToBeHiddenAsync();
    }

    [Test]
    public async Task Screenshot_of_the_page()
    {
        await _page.SetViewportSizeAsync(1360, 900);
        await SeedAsync("docker.io/acme/*");
        await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "registry.example.com:5000/team/*", Name = "Team registry",
            Username = "ci-puller", Email = "ci@example.com", Password = "x", Account = _user, Validate = false });
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "*.example.org", Name = "Internal mirrors", Username = "mirror", Password = "x", Account = _user, Validate = false, VerifyTls = false,
        });
        await SeedAsync("quay.io/partner/*", active: false);
        await ReloadAsync();
        await _page.GetByLabel("Image reference").FillAsync("acme/app:1.2");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(_page.Locator("#try-result")).ToContainTextAsync("Uses a stored credential");
        await _page.GetByLabel("Allowed registries").FillAsync("docker.io\nquay.io\n*.example.org\nregistry.example.com:5000");

        await _page.EvaluateAsync("document.activeElement.blur()");
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "registries-ui.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
        TestContext.AddTestAttachment(path);

        // REGCRED_UPDATE_SCREENSHOT=1 refreshes the README's picture.
        if (Environment.GetEnvironmentVariable("REGCRED_UPDATE_SCREENSHOT") == "1")
        {
            var docs = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "docs", "images"));
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, "registries-ui.png"), overwrite: true);
        }
    }
}
