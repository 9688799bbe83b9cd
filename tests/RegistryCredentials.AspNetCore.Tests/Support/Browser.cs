using Microsoft.Playwright;

namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>./build.sh test</c>) driven by Playwright for .NET through
/// the Node driver inside the Microsoft.Playwright package: no browser download, nothing but 127.0.0.1 reachable.
/// Playwright starts it with a fresh temporary <c>--user-data-dir</c> that it deletes on close.
/// </summary>
public static class Browser
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Flags that keep Chromium off the network: only 127.0.0.1 resolves, and no background service phones home.</summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: install Debian's chromium package (./build.sh test does).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
