using Microsoft.Playwright;

namespace OrleansNodes.TestServers;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, headless), driven by Playwright. Playwright's
/// driver ships inside its NuGet package; its own browser builds would be a download, which
/// this machine and CI cannot make, so the system's Chromium is launched by path instead.
/// </summary>
public sealed class SystemChromium : IAsyncDisposable
{
    /// <summary>Where the Debian package installs it.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>What the skip message tells a person running the tests by hand.</summary>
    public const string HowToGetIt =
        "needs Chromium: install it (sudo apt-get install chromium) or run `bash .ci/services.sh start`, which does; CI always runs these tests";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private SystemChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Whether the browser is installed.</summary>
    public static bool IsAvailable => File.Exists(ExecutablePath);

    /// <summary>Starts Playwright's driver and a headless Chromium.</summary>
    public static async Task<SystemChromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true });
            return new SystemChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh page (its own cookies and cache) at <paramref name="url"/>, loaded; with
    /// <paramref name="credentials"/>, the browser answers basic-auth challenges with them, as
    /// after a person typed them into its prompt.
    /// </summary>
    public async Task<IPage> OpenAsync(Uri url, HttpCredentials? credentials = null)
    {
        var page = await _browser.NewPageAsync(new() { HttpCredentials = credentials });
        await page.GotoAsync(url.ToString());
        return page;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
