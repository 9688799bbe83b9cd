using System.Text;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests.Protocol;

/// <summary>
/// The Docker v2 validator (through <see cref="IRegistryManager"/>) against fake registries: challenge parsing, token
/// responses, realm rules and not-a-registry answers. Real-registry behaviour is in the RealRegistry tests.
/// </summary>
public class ValidatorProtocolTests
{
    private FakeRegistry _fake = null!;
    private TestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fake = await FakeRegistry.StartAsync();
        _host = new TestHost(withValidator: false);
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private Task<RegistryValidationResult> ValidateAsync(string? password = null) => _host.Manager.AddAsync(new RegistryAddRequest
    {
        Scope = _fake.Registry,
        Username = _fake.Username,
        Password = password ?? _fake.Password,
        InsecureHttp = true,
    }).ContinueWith(t => t.IsCompletedSuccessfully
        ? RegistryValidationResult.Valid
        : ((RegistryValidationException)t.Exception!.InnerException!).Result!, TaskScheduler.Default);

    [TestCase("Bearer realm=\"{realm}\",service=\"fake\"")]
    [TestCase("bEaReR REALM=\"{realm}\", SERVICE=fake")]
    [TestCase("Bearer   realm = \"{realm}\" , service=\"fake\"")]
    [TestCase("Negotiate, Bearer realm=\"{realm}\",service=\"fake\"")]
    [TestCase("Basic realm=\"basic\", Bearer realm=\"{realm}\",service=\"fake\"")]
    [TestCase("Bearer realm=\"{realm}\",service=\"f\\\"a\\\\ke\",scope=\"\"")]
    [TestCase("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Bearer realm=\"{realm}\"")]
    public async Task Well_formed_bearer_challenges_lead_to_a_token(string challenge)
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add(challenge);
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Valid), result.Message);
        Assert.That(_fake.Tokens.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Several_header_lines_are_all_read_and_parameters_unescaped()
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add("Negotiate");
        _fake.Challenges.Add("Bearer realm=\"{realm}\",service=\"a\\\"b\"");
        var result = await ValidateAsync();
        Assert.That(result.IsValid, Is.True, result.Message);
        Assert.That(_fake.Tokens.Requests.Single().Query, Is.EqualTo("?service=a%22b"));
    }

    [Test]
    public async Task Basic_challenge_retries_with_the_credential()
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add("Basic realm=\"Registry Realm\"");
        Assert.That((await ValidateAsync()).IsValid, Is.True);
        Assert.That((await ValidateAsync("wrong-" + TestHost.NewSecret())).Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        Assert.That(_fake.Tokens.Requests, Is.Empty);
    }

    [TestCase("Bearer realm=\"unterminated")]
    [TestCase("Bearer realm=\"{realm}\" junk")]
    [TestCase("Bearer realm=\"{realm}\", realm=\"twice\"")]
    [TestCase("=oops")]
    [TestCase(",,, @")]
    public async Task Malformed_challenges_are_protocol_errors(string challenge)
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add(challenge);
        var before = await _host.SnapshotAsync();
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError), result.Message);
        Assert.That(result.Message, Does.Contain("malformed WWW-Authenticate"));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("Negotiate", "neither Basic nor Bearer")]
    [TestCase("Bearer service=\"fake\"", "no absolute realm")]
    [TestCase("Bearer realm=\"/relative\"", "no absolute realm")]
    [TestCase("Bearer realm=\"ftp://127.0.0.1/token\"", "no absolute realm")]
    [TestCase("Bearer realm=", "no absolute realm")] // RFC 7235: a token68, so no realm parameter
    public async Task Unusable_challenges_are_protocol_errors(string challenge, string message)
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add(challenge);
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(result.Message, Does.Contain(message));
    }

    [Test]
    public async Task Missing_challenge_is_a_protocol_error()
    {
        _fake.Challenges.Clear();
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(result.Message, Does.Contain("without a WWW-Authenticate"));
    }

    [TestCase("{\"expires_in\":60}", "neither 'token' nor 'access_token'")]
    [TestCase("{\"token\":\"\"}", "neither 'token' nor 'access_token'")]
    [TestCase("{\"token\":", "not valid JSON")]
    [TestCase("not json", "not valid JSON")]
    [TestCase("[\"token\"]", "not a JSON object")]
    public async Task Broken_token_responses_are_protocol_errors(string body, string message)
    {
        _fake.TokenAnswer = context => context.Response.WriteAsync(body);
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(result.Message, Does.Contain(message));
    }

    [Test]
    public async Task Access_token_is_accepted_like_token()
    {
        _fake.TokenAnswer = context => context.Response.WriteAsync($"{{\"access_token\":\"{FakeRegistry.Token}\"}}");
        Assert.That((await ValidateAsync()).IsValid, Is.True);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Token_response_over_one_mebibyte_is_refused(bool announced)
    {
        _fake.TokenAnswer = async context =>
        {
            var body = Encoding.UTF8.GetBytes("{\"token\":\"" + new string('x', 1024 * 1024) + "\"}");
            if (announced)
            {
                context.Response.ContentLength = body.Length;
            }

            await context.Response.Body.WriteAsync(body);
        };
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(result.Message, Does.Contain("larger than 1024 KiB"));
    }

    [TestCase(401, RegistryValidationOutcome.Unauthorized)]
    [TestCase(403, RegistryValidationOutcome.Unauthorized)]
    [TestCase(500, RegistryValidationOutcome.Unreachable)]
    [TestCase(400, RegistryValidationOutcome.ProtocolError)]
    public async Task Token_service_status_is_typed(int status, RegistryValidationOutcome outcome)
    {
        _fake.TokenAnswer = context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        };
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(outcome));
        Assert.That(result.Message, Does.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Wrong_password_is_unauthorized_and_the_secret_is_not_in_the_message()
    {
        var wrong = "wrong-" + TestHost.NewSecret();
        var result = await ValidateAsync(wrong);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        Assert.That(result.Message, Does.Not.Contain(wrong));
    }

    [Test]
    public async Task Token_service_without_GET_gets_the_OAuth2_password_form()
    {
        _fake.TokenAnswer = async context =>
        {
            if (context.Request.Method == "GET")
            {
                context.Response.StatusCode = 404;
                return;
            }

            var form = await context.Request.ReadFormAsync();
            Assert.That(form["grant_type"].ToString(), Is.EqualTo("password"));
            Assert.That(form["service"].ToString(), Is.EqualTo("fake"));
            context.Response.StatusCode = form["username"] == _fake.Username && form["password"] == _fake.Password ? 200 : 401;
            await context.Response.WriteAsync($"{{\"access_token\":\"{FakeRegistry.Token}\",\"expires_in\":60}}");
        };
        Assert.That((await ValidateAsync()).IsValid, Is.True);
        Assert.That(_fake.Tokens.Requests.Select(r => r.Method), Is.EqualTo(new[] { "GET", "POST" }));
    }

    [TestCase("http://169.254.169.254/latest/token")]
    [TestCase("http://[fd00:ec2::254]/token")]
    [TestCase("http://169.254.1.1:80/token")]
    public async Task Realm_on_a_metadata_or_link_local_address_is_refused_without_a_request(string realm)
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add($"Bearer realm=\"{realm}\",service=\"x\"");
        var result = await ValidateAsync();
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(result.Message, Does.Contain("link-local or cloud metadata"));
    }

    [Test]
    public async Task Plain_http_realm_is_refused_for_an_https_registry()
    {
        // The registry speaks plain HTTP here, but the entry is not marked insecure: the ping itself is HTTPS and fails
        // before any realm is contacted, which is the point: no silent downgrade.
        var result = await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _fake.Registry, Username = _fake.Username, Password = _fake.Password,
        }).ContinueWith(t => ((RegistryValidationException)t.Exception!.InnerException!).Result!, TaskScheduler.Default);
        Assert.That(result.Outcome, Is.AnyOf(RegistryValidationOutcome.TlsFailure, RegistryValidationOutcome.Unreachable));
        Assert.That(_fake.Server.Requests, Is.Empty, "nothing reached the registry over plain HTTP");
    }

    [Test]
    public async Task Not_found_and_missing_api_version_header_mean_not_a_registry()
    {
        await using var web = await LoopbackHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/v2/" && context.Request.Query.ContainsKey("x") ? 200 : 404;
            return Task.CompletedTask;
        });
        var result = await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = web.Authority, Username = "u", Password = "p", InsecureHttp = true,
        }).ContinueWith(t => ((RegistryValidationException)t.Exception!.InnerException!).Result!, TaskScheduler.Default);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.NotARegistry));
        Assert.That(result.Message, Does.Contain("404"));

        _fake.SendsApiVersion = false;
        _fake.Challenges.Clear();
        await using var plain = await LoopbackHttpServer.StartAsync(context => context.Response.WriteAsync("hello"));
        var second = await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = plain.Authority, Username = "u", Password = "p", InsecureHttp = true,
        }).ContinueWith(t => ((RegistryValidationException)t.Exception!.InnerException!).Result!, TaskScheduler.Default);
        Assert.That(second.Outcome, Is.EqualTo(RegistryValidationOutcome.NotARegistry));
        Assert.That(second.Message, Does.Contain("Docker-Distribution-API-Version"));
    }

    [Test]
    public async Task Slow_registry_is_a_timeout()
    {
        var release = new TaskCompletionSource();
        await using var slow = await LoopbackHttpServer.StartAsync(async context =>
        {
            await release.Task;
            context.Response.StatusCode = 401;
        });
        var add = _host.Manager.AddAsync(new RegistryAddRequest { Scope = slow.Authority, Username = "u", Password = "p", InsecureHttp = true });
        while (slow.Requests.IsEmpty)
        {
            await Task.Delay(10);
        }

        _host.Time.Advance(TimeSpan.FromSeconds(11));
        var error = Assert.ThrowsAsync<RegistryValidationException>(async () => await add);
        release.SetResult();
        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.Timeout));
        Assert.That(error.Message, Does.Contain("10 s"));
    }

    [Test]
    public async Task Redirect_to_another_host_loses_the_credential()
    {
        await using var elsewhere = await LoopbackHttpServer.StartAsync(
            context =>
            {
                context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
                return context.Response.WriteAsync("{}");
            },
            address: "127.0.0.2");
        _fake.Challenges.Clear();
        _fake.Challenges.Add("Basic realm=\"r\"");
        await using var redirecting = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"r\"";
            }
            else
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = elsewhere.BaseUri + "v2/";
            }

            return Task.CompletedTask;
        });

        var entry = await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = redirecting.Authority,
            Username = "u",
            Password = TestHost.NewSecret(),
            InsecureHttp = true,
        });

        Assert.That(entry.Version, Is.EqualTo(1));
        Assert.That(redirecting.Requests.Last().Authorization, Does.StartWith("Basic "));
        Assert.That(elsewhere.Requests.Single().Authorization, Is.Empty);
    }

    [TestCase("Bearer realm=\"{storage}token\",service=\"storage\"")]
    [TestCase("Basic realm=\"storage\"")]
    public async Task A_401_from_another_origin_after_a_redirect_is_not_answered_with_the_credential(string challenge)
    {
        // /v2/ redirects (307) to another origin, which asks for credentials of its own: the credential goes only to the
        // registry's origin and to realms that origin named, so validation stops with a protocol error instead.
        var minted = 0;
        LoopbackHttpServer? storage = null;
        storage = await LoopbackHttpServer.StartAsync(
            context =>
            {
                if (context.Request.Path == "/token")
                {
                    Interlocked.Increment(ref minted);
                    return context.Response.WriteAsync("{\"token\":\"storage-token\"}");
                }

                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = challenge.Replace("{storage}", storage!.BaseUri.ToString(), StringComparison.Ordinal);
                return Task.CompletedTask;
            },
            address: "127.0.0.2");
        await using var _ = storage;
        await using var redirecting = await LoopbackHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = storage.BaseUri + "v2/";
            return Task.CompletedTask;
        });
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<RegistryValidationException>(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = redirecting.Authority, Username = "u", Password = TestHost.NewSecret(), InsecureHttp = true,
        }));

        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError), error.Message);
        Assert.That(error.Message, Does.Contain(storage.BaseUri.GetLeftPart(UriPartial.Authority)));
        Assert.That(storage.Requests.Select(r => r.Authorization), Is.All.Empty);
        Assert.That(minted, Is.Zero, "the other origin's realm was never asked");
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }
}
