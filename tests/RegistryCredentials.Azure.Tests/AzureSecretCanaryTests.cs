using System.Diagnostics.Tracing;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core.Diagnostics;
using RegistryCredentials.Azure.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Azure.Tests;

/// <summary>
/// A client secret (and the Entra ID and ACR tokens made from it) appears in no log line — ours or the Azure SDK's
/// event source at verbose level — no exception, no <c>ToString()</c> and no JSON of anything returned, through successes
/// and every kind of failure.
/// </summary>
public class AzureSecretCanaryTests
{
    [Test]
    public async Task Client_secret_never_leaks_through_logs_exceptions_ToString_or_json()
    {
        var texts = new List<string>();
        var observed = new List<object?>();
        using var sdkLogs = new AzureEventSourceListener((args, message) => { lock (texts) { texts.Add(message); } }, EventLevel.Verbose);
        await using var env = await AzureTestEnvironment.StartAsync(o =>
        {
            o.CredentialFactory = request =>
            {
                lock (observed)
                {
                    observed.Add(request);
                }

                return null; // the provider builds its ClientSecretCredential
            };
        });
        var canary = env.Entra.ClientSecret;
        var newCanary = "canary2-" + TestHost.NewSecret();

        void Observe(object? value)
        {
            lock (observed)
            {
                observed.Add(value);
            }
        }

        async Task<Exception?> CatchAsync(Func<Task> action)
        {
            try
            {
                await action();
                return null;
            }
            catch (Exception e)
            {
                Observe(e);
                return e;
            }
        }

        var scope = env.Front.Registry;
        RegistryAddRequest Request(string path = "") => new() { Scope = scope + path, Type = RegistryType.Azure, Username = env.ClientUsername, Password = canary, CaCertificates = env.Certificates.CaPem };
        var request = new RegistryAddRequest { Scope = scope, Type = RegistryType.Azure, Username = env.ClientUsername, Password = canary, CaCertificates = env.Certificates.CaPem };
        Observe(request);
        Observe(await env.Host.Manager.AddAsync(request));
        Observe(await env.Host.Manager.ListAsync());
        Observe(await env.Host.Manager.GetAsync(scope));
        Observe(await env.Host.Store.ListAsync(null));
        var resolution = await env.Host.Resolver.ResolveAsync(scope + "/team/app:1");
        Observe(resolution);
        Observe(resolution.Credential);
        Observe(resolution.Credential!.Secret);
        Observe(await env.Host.Manager.ValidateAsync(scope));
        await env.Host.Resolver.ReportRejectedAsync(resolution);

        // Failures of every kind with a secret in play.
        Assert.That(await CatchAsync(() => env.Host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = scope, Password = newCanary })), Is.InstanceOf<AzureCredentialException>());
        Assert.That(await CatchAsync(() => env.Host.Manager.AddAsync(request)), Is.Not.Null);
        Assert.That(await CatchAsync(() => env.Host.Manager.AddAsync(new RegistryAddRequest { Scope = "a.azurecr.io", Username = "x/y", Password = canary })), Is.InstanceOf<AzureCredentialException>());
        Assert.That(await CatchAsync(() => env.Host.Manager.AddAsync(new RegistryAddRequest { Scope = "b.azurecr.io", Username = "default", Password = canary })), Is.InstanceOf<AzureCredentialException>());
        Assert.That(await CatchAsync(() => env.Host.Manager.AddAsync(new RegistryAddRequest { Scope = scope + "/untrusted", Type = RegistryType.Azure, Username = env.ClientUsername, Password = canary })), Is.InstanceOf<AzureCredentialException>());
        env.Front.FailWith = HttpStatusCode.Forbidden;
        Assert.That(await CatchAsync(() => env.Host.Manager.AddAsync(Request("/refused"))), Is.InstanceOf<AzureCredentialException>());
        env.Front.FailWith = null;
        env.Front.RawAnswer = "{\"refresh_token\":\"not-a-jwt\"}";
        Assert.That(await CatchAsync(() => env.Host.Manager.AddAsync(Request("/malformed"))), Is.InstanceOf<AzureCredentialException>());
        env.Front.RawAnswer = null;
        env.Host.Time.Advance(TimeSpan.FromHours(4));
        env.Front.FailWith = HttpStatusCode.Unauthorized;
        Assert.That(await CatchAsync(async () => await env.Host.Resolver.ResolveAsync(scope + "/team/app:1")), Is.InstanceOf<AzureCredentialException>());
        await env.Host.Manager.DeleteAsync(scope);

        var secrets = new[] { canary, newCanary }
            .Concat(env.Entra.IssuedTokens)
            .Concat(env.Front.IssuedTokens)
            .ToList();
        Assert.That(secrets, Has.Count.GreaterThan(3));

        lock (observed)
        {
            foreach (var value in observed)
            {
                if (value is Exception exception)
                {
                    texts.Add(exception.ToString());
                }
                else if (value is not null)
                {
                    texts.Add(value.ToString() ?? string.Empty);
                    texts.Add(JsonSerializer.Serialize(value, value.GetType()));
                }
            }
        }

        texts.AddRange(env.Host.Logs.Lines);
        Assert.That(observed, Has.Some.InstanceOf<AzureCredentialRequest>());
        Assert.That(env.Host.Logs.Lines, Has.Some.Contains("ACR refresh token for"));
        Assert.That(texts, Has.Some.Contains("ClientSecretCredential"), "the Azure SDK's own log was captured");
        lock (texts)
        {
            foreach (var secret in secrets)
            {
                var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
                Assert.That(texts, Has.None.Contain(secret), $"a secret showed up in: {texts.FirstOrDefault(t => t.Contains(secret, StringComparison.Ordinal))}");
                Assert.That(texts, Has.None.Contain(base64));
            }
        }
    }
}
