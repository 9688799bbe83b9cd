using System.Text.Json;
using Moq;
using RegistryCredentials.Google.Tests.Support;

namespace RegistryCredentials.Google.Tests;

/// <summary>
/// The secret canary for the Google provider (the approach of the core's <c>SecretCanaryTests</c>): a per-run key file goes
/// through every public API, pass-through and exchanged, with failures of every kind, and no piece of it (the JSON, its
/// base64, the private key's lines, the key id) nor an issued access token appears in any log line, exception,
/// <c>ToString()</c> or JSON of anything returned.
/// </summary>
public class GoogleSecretCanaryTests
{
    private const string Scope = "us-docker.pkg.dev/acme";
    private const string Image = Scope + "/app:1";

    [Test]
    public async Task Key_never_leaks_through_logs_exceptions_ToString_or_json()
    {
        await using var oauth = await FakeGoogleOAuthServer.StartAsync();
        using var key = TestServiceAccount.Create(oauth.TokenUri);
        using var newKey = TestServiceAccount.Create(oauth.TokenUri);
        using var unknownKey = TestServiceAccount.Create(oauth.TokenUri);
        oauth.Trust(key);
        oauth.Trust(newKey);
        using var passThrough = GoogleHosts.Create();
        using var exchange = GoogleHosts.Create(o => o.ExchangeForAccessToken = true);
        oauth.Clock = exchange.Time.GetUtcNow;
        var texts = new List<string>();
        var exceptions = 0;

        void Observe(object? value)
        {
            if (value is Exception exception)
            {
                exceptions++;
                texts.Add(exception.ToString());
                texts.Add(exception.Message);
            }
            else if (value is not null)
            {
                texts.Add(value.ToString() ?? string.Empty);
                texts.Add(JsonSerializer.Serialize(value, value.GetType()));
            }
        }

        foreach (var host in new[] { passThrough, exchange })
        {
            var request = new RegistryAddRequest { Scope = Scope, Username = "_json_key", Password = key.Json, Email = "ci@example.com" };
            Observe(request);
            Observe(await host.Manager.AddAsync(request));
            Observe(await host.Manager.ListAsync());
            Observe(await host.Manager.GetAsync(Scope));
            Observe(await host.Store.ListAsync(null));
            var resolution = await host.Resolver.ResolveAsync(Image);
            Observe(resolution);
            Observe(resolution.Credential);
            Observe(resolution.Credential!.Secret);
            Observe(resolution.Entry);
            await host.Resolver.ReportRejectedAsync(resolution);
            Observe(await host.Resolver.ResolveAsync(Image));
            Observe(await host.Manager.ValidateAsync(Scope));
            Observe(await host.Manager.DeactivateAsync(Scope));
            Observe(await host.Resolver.ResolveAsync(Image));
            Observe(await host.Manager.ActivateAsync(Scope));

            // Failures of every kind, each with a key in the request.
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(request)));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io", Username = "_json_key", Password = key.Json[..^40] })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io", Username = "_json_key", Password = key.Json.Replace("service_account", "authorized_user", StringComparison.Ordinal) })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io", Username = "_json_key", Password = key.Base64 })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io", Username = "_json_key_base64", Password = key.Json })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io", Username = "ci-user", Password = key.Json })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io", Username = "_dcgcr_auto", Password = key.Json })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "eu.gcr.io", Username = "_json_key", Password = unknownKey.Json })));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = Scope, Password = newKey.Json, ExpectedVersion = 99 })));
            host.Validator
                .Setup(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401 from the registry"));
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = Scope, Password = newKey.Json })));
            oauth.FailWithStatus = 400;
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = Scope, Password = newKey.Json, Validate = false })
                .ContinueWith(_ => host.Resolver.ResolveAsync(Image).AsTask()).Unwrap()));
            oauth.FailWithStatus = null;
            var update = new RegistryUpdateRequest { Scope = Scope, Password = newKey.Json, Validate = false };
            Observe(update);
            Observe(await host.Manager.UpdateAsync(update));
            Observe(await host.Resolver.ResolveAsync(Image));
            await host.Manager.DeleteAsync(Scope);
            Observe(await GoogleHosts.CatchAsync(() => host.Manager.DeleteAsync(Scope)));
            texts.AddRange(host.Logs.Lines);
        }

        Assert.That(exceptions, Is.GreaterThanOrEqualTo(20));
        Assert.That(exchange.Logs.Lines, Has.Some.Contain("Access token for service account"), "the exchange was logged");
        Assert.That(oauth.IssuedTokens, Is.Not.Empty);
        foreach (var path in new[] { "not valid JSON", "not a service-account key", "not valid base64", "must be _json_key", "AllowApplicationDefault", "refused the request", "401 from the registry" })
        {
            Assert.That(texts, Has.Some.Contain(path), "the failure path was exercised: " + path);
        }

        foreach (var secret in key.SecretFragments.Concat(newKey.SecretFragments).Concat(unknownKey.SecretFragments).Concat(oauth.IssuedTokens))
        {
            Assert.That(texts, Has.None.Contain(secret), $"a secret showed up in: {texts.FirstOrDefault(t => t.Contains(secret, StringComparison.Ordinal))}");
        }
    }
}
