using System.Text;
using System.Text.Json;
using Moq;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// Stores a unique password, exercises every public API, and proves the password appears in no log line,
/// exception, <c>ToString()</c> or JSON of anything returned — only where it is deliberately revealed.
/// </summary>
public class SecretCanaryTests
{
    [Test]
    public async Task Password_never_leaks_through_logs_exceptions_ToString_or_json()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var newCanary = "canary2-" + Guid.NewGuid().ToString("N");
        using var host = new TestHost();
        var observed = new List<object?>();
        var texts = new List<string>();

        void Observe(object? value)
        {
            observed.Add(value);
            if (value is Exception exception)
            {
                texts.Add(exception.ToString());
                texts.Add(exception.Message);
            }
            else if (value is not null)
            {
                texts.Add(value.ToString() ?? string.Empty);
                texts.Add(JsonSerializer.Serialize(value, value.GetType()));
            }
        }

        var request = new RegistryAddRequest { Scope = "reg.example.com/acme/*", Username = "ci", Password = canary, Email = "ci@example.com" };
        Observe(request);
        Observe(request.Password);
        Observe(await host.Manager.AddAsync(request));
        Observe(await host.Manager.ListAsync());
        Observe(await host.Manager.GetAsync("reg.example.com/acme/*"));
        Observe(await host.Store.ListAsync(null));
        Observe(await host.Store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/acme/*")));
        var resolution = await host.Resolver.ResolveAsync("reg.example.com/acme/app:1");
        Observe(resolution);
        Observe(resolution.Credential);
        Observe(resolution.Credential!.Secret);
        Observe(resolution.Entry);
        Observe(await host.Manager.ValidateAsync("reg.example.com/acme/*"));
        Observe(await host.Manager.DeactivateAsync("reg.example.com/acme/*"));
        Observe(await host.Resolver.ResolveAsync("reg.example.com/acme/app:1"));
        Observe(await host.Manager.ActivateAsync("reg.example.com/acme/*"));

        // Failures of every kind, with the canary in the request.
        Observe(await CatchAsync(() => host.Manager.AddAsync(request)));
        Observe(await CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com",
            Username = "a:b",
            Password = canary,
            Validate = false,
        })));
        Observe(await CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "https://reg.example.com", Username = "a", Password = canary })));
        Observe(await CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com/acme/*", Password = newCanary,
            ExpectedVersion = 99 })));
        host.Validator
            .Setup(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401 from the registry"));
        Observe(await CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com/acme/*", Password = newCanary })));
        Observe(await CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "other.example.com", Username = "ci", Password = newCanary })));
        var update = new RegistryUpdateRequest { Scope = "reg.example.com/acme/*", Password = newCanary, Validate = false };
        Observe(update);
        Observe(await host.Manager.UpdateAsync(update));
        Observe(await host.Resolver.ResolveAsync("reg.example.com/acme/app"));
        await host.Manager.DeleteAsync("reg.example.com/acme/*");
        Observe(await CatchAsync(() => host.Manager.DeleteAsync("reg.example.com/acme/*")));

        texts.AddRange(host.Logs.Lines);
        Assert.That(host.Logs.Lines, Is.Not.Empty, "the manager should have logged its operations");
        Assert.That(observed, Has.Some.InstanceOf<Exception>());
        foreach (var secret in new[] { canary, newCanary })
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
            Assert.That(
                texts,
                Has.None.Contain(secret),
                $"the password showed up in: {texts.FirstOrDefault(t => t.Contains(secret, StringComparison.Ordinal))}");
            Assert.That(texts, Has.None.Contain(base64));
        }
    }

    [Test]
    public void Secret_shows_a_mask_everywhere_but_Reveal()
    {
        RegistrySecret secret = "hunter2-" + Guid.NewGuid().ToString("N");
        Assert.Multiple(() =>
        {
            Assert.That(secret.ToString(), Is.EqualTo("***"));
            Assert.That(JsonSerializer.Serialize(secret), Is.EqualTo("{}"));
            Assert.That(secret.Reveal(), Does.StartWith("hunter2-"));
            Assert.That(secret, Is.EqualTo(RegistrySecret.FromString(secret.Reveal())));
            Assert.Throws<ArgumentException>(() => RegistrySecret.FromString(string.Empty));
        });
    }

    private static async Task<Exception?> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
