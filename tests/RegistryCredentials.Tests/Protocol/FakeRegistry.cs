using System.Text;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests.Protocol;

/// <summary>
/// A fake v2 registry and its token service on loopback (plain HTTP), whose challenge and token answers a test sets,
/// to drive the protocol corners a real registry never produces (malformed challenges, broken token responses).
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private FakeRegistry(LoopbackHttpServer registry, LoopbackHttpServer tokens)
    {
        Server = registry;
        Tokens = tokens;
    }

    public const string Token = "good-token";

    public LoopbackHttpServer Server { get; }

    public LoopbackHttpServer Tokens { get; }

    public string Username { get; } = "user";

    public string Password { get; } = TestHost.NewSecret();

    /// <summary>The WWW-Authenticate values /v2/ answers with; <c>{realm}</c> is replaced by the token service's URL.</summary>
    public List<string> Challenges { get; } = ["Bearer realm=\"{realm}\",service=\"fake\""];

    /// <summary>What the token service answers: status and body; null for a good token.</summary>
    public Func<HttpContext, Task>? TokenAnswer { get; set; }

    /// <summary>Whether /v2/ answers with the Docker-Distribution-API-Version header.</summary>
    public bool SendsApiVersion { get; set; } = true;

    public string Registry => Server.Authority;

    public static async Task<FakeRegistry> StartAsync()
    {
        FakeRegistry? fake = null;
        var tokens = await LoopbackHttpServer.StartAsync(context => fake!.AnswerTokenAsync(context));
        var registry = await LoopbackHttpServer.StartAsync(context => fake!.AnswerRegistryAsync(context));
        fake = new FakeRegistry(registry, tokens);
        return fake;
    }

    private async Task AnswerRegistryAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (SendsApiVersion)
        {
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        }

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Password));
        if (authorization == "Bearer " + Token || authorization == basic)
        {
            await context.Response.WriteAsync("{}");
            return;
        }

        context.Response.StatusCode = 401;
        foreach (var challenge in Challenges)
        {
            context.Response.Headers.Append("WWW-Authenticate", challenge.Replace("{realm}", Tokens.BaseUri + "token", StringComparison.Ordinal));
        }
    }

    private async Task AnswerTokenAsync(HttpContext context)
    {
        if (TokenAnswer is not null)
        {
            await TokenAnswer(context);
            return;
        }

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Password));
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var ok = context.Request.Headers.Authorization.ToString() == basic
            || (form is not null && form["username"] == Username && form["password"] == Password);
        if (!ok)
        {
            context.Response.StatusCode = 401;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"token\":\"{Token}\",\"expires_in\":300}}");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
