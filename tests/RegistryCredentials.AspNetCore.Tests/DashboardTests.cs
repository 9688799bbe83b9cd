using System.Net;
using System.Text.RegularExpressions;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>The page as HTTP sees it: embedded files, security headers, no inline code, nothing from elsewhere.</summary>
public partial class DashboardTests
{
    private ApiHost _host = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await ApiHost.StartAsync();
        _client = _host.Client("alice");
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [TestCase("/registries-ui", "text/html")]
    [TestCase("/registries-ui/", "text/html")]
    [TestCase("/registries-ui/app.js", "text/javascript")]
    [TestCase("/registries-ui/app.css", "text/css")]
    public async Task Files_are_served_with_a_strict_content_security_policy(string path, string mediaType)
    {
        var response = await _client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Multiple(() =>
        {
            Assert.That(
                csp,
                Does.Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("style-src 'self'").And.Contain("frame-ancestors 'none'"));
            Assert.That(csp, Does.Not.Contain("unsafe-inline").And.Not.Contain("unsafe-eval").And.Not.Contain("http"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        });
    }

    [Test]
    public async Task The_page_has_no_inline_script_or_style_and_loads_nothing_from_another_origin()
    {
        var html = await _client.GetStringAsync("/registries-ui");
        var scripts = ScriptTag().Matches(html);
        Assert.That(scripts, Has.Count.EqualTo(1));
        Assert.That(scripts[0].Value, Does.Contain("src=\"/registries-ui/app.js\""));
        Assert.That(ScriptBody().IsMatch(html), Is.False, "no inline script");
        Assert.That(html, Does.Not.Contain("<style"));
        Assert.That(EventAttribute().IsMatch(html), Is.False, "no inline event handlers");
        Assert.That(StyleAttribute().IsMatch(html), Is.False, "no style attributes");
        var links = html.Replace("<code>https://</code>", string.Empty, StringComparison.Ordinal); // the hint not to type it
        Assert.That(links, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("//cdn"), "every link is same-origin");
        Assert.That(html, Does.Contain("data-api=\"/registries\""));

        var js = await _client.GetStringAsync("/registries-ui/app.js");
        Assert.That(js, Does.Not.Contain("innerHTML").And.Not.Contain("eval(").And.Not.Contain("http://").And.Not.Contain("https://"));
        var css = await _client.GetStringAsync("/registries-ui/app.css");
        Assert.That(css, Does.Not.Contain("url(").And.Not.Contain("@import"));
    }

    [Test]
    public async Task Every_form_field_has_a_label()
    {
        var html = await _client.GetStringAsync("/registries-ui");
        var ids = FieldId().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Has.Count.GreaterThan(8));
        foreach (var id in ids)
        {
            Assert.That(html, Does.Contain($"<label for=\"{id}\""), id);
        }

        Assert.That(html, Does.Contain("Do not prefix it with <code>https://</code>"));
        Assert.That(html, Does.Contain("<code>docker.io</code> or <code>index.docker.io</code>"));
    }

    [Test]
    public async Task Script_and_styles_answer_304_to_their_etag()
    {
        var first = await _client.GetAsync("/registries-ui/app.js");
        var etag = first.Headers.ETag!.Tag;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registries-ui/app.js");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        Assert.That((await _client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<script[^>]*>\\s*[^<\\s]", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptBody();

    [GeneratedRegex("\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();

    [GeneratedRegex("\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("<(?:input|select|textarea)[^>]*\\sid=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FieldId();
}
