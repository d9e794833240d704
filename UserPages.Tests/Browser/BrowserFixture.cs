using Microsoft.Playwright;

namespace UserPages.Tests.Browser;

/// <summary>
/// One headless Debian Chromium for the whole browser test run (launching one costs about a second); every test
/// opens its own context, so no cookie, storage or focus leaks between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Whether this is CI, where a missing browser or axe-core fails the tests that need it instead of skipping them.</summary>
    public static bool UnderCI { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the browser tests cannot run on this machine; null when they can.</summary>
    public string? MissingBrowser { get; private set; }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(MissingBrowser ?? "Not initialized.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var reason = $"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does).";
            // On a laptop without Chromium the tests skip with that reason; in CI a missing browser must fail loudly.
            if (UnderCI)
            {
                throw new InvalidOperationException($"{reason} Under CI=true that is a failure, not a skip.");
            }

            MissingBrowser = reason;
            // Printed once by `dotnet test` (xunit.runner.json turns diagnostic messages on); each test also
            // carries it as its skip reason.
            TestContext.Current.SendDiagnosticMessage($"Browser tests skipped: {reason}");
            return;
        }

        // Evidence from an earlier run would only mislead: the folder holds this run's failures alone.
        if (Directory.Exists(Scenario.ResultsDirectory))
        {
            Directory.Delete(Scenario.ResultsDirectory, recursive: true);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>Every browser test class joins this xunit collection: one browser, tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
