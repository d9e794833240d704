using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace UserPages.Tests.Browser;

/// <summary>
/// Runs one test's steps in a fresh browser context, as a person meeting the app would, and keeps the evidence
/// (full-page screenshot and HTML under <c>TestResults/browser/</c> in the test output) when a step fails.
/// </summary>
public static class Scenario
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    public static readonly ViewportSize Phone = new() { Width = 375, Height = 740 };

    /// <summary>
    /// How long a step may wait: generous for a loaded 2-core CI machine (a page load once took over 10 s there while
    /// servers for three engines were busy); a missing element still fails with its screenshot, only later.
    /// </summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public static string ResultsDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");

    /// <summary>The page scrolls only down: nothing is wider than the window it is shown in.</summary>
    public static async Task AssertFitsItsWidthAsync(this IPage page, string what)
    {
        var (content, screen) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("() => window.innerWidth"));
        Assert.True(content <= screen, $"{what} is {content} px wide on a {screen} px screen.");
    }

    public static async Task RunAsync(
        this BrowserFixture browser,
        BrowserApp app,
        Func<IPage, Task> steps,
        ViewportSize? viewport = null,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string test = "")
    {
        if (browser.MissingBrowser is { } missing)
        {
            Assert.Skip(missing);
        }

        await using var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = app.Address.ToString(),
            ViewportSize = viewport ?? Desktop,
            Locale = "en-US",
            TimezoneId = "UTC",
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page, app.Address);
        try
        {
            await steps(page);
            Assert.True(problems.Count == 0, "The pages did something a strict, self-contained site must not:\n" + string.Join('\n', problems));
        }
        catch (Exception exception) when (exception is not SkipException)
        {
            await SaveEvidenceAsync(page, $"{Path.GetFileNameWithoutExtension(testFile)}.{test}");
            throw;
        }
    }

    /// <summary>
    /// Requests to any other origin (the pages must be self-contained), script errors, and Content-Security-Policy
    /// violations (which Chromium reports on the console), collected while the steps run.
    /// </summary>
    private static List<string> WatchForProblems(IPage page, Uri app)
    {
        var problems = new List<string>();
        var origin = app.GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add($"request to another origin: {request.Url}");
            }
        };
        page.PageError += (_, error) => problems.Add($"script error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"CSP violation: {message.Text}");
            }
        };
        return problems;
    }

    private static async Task SaveEvidenceAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ResultsDirectory);
        var stem = Path.Combine(ResultsDirectory, name);
        try
        {
            await page.ScreenshotAsync(new() { Path = stem + ".png", FullPage = true, Timeout = 5_000 });
            await File.WriteAllTextAsync(stem + ".html", $"<!-- {page.Url} -->\n{await page.ContentAsync()}");
        }
        catch (PlaywrightException)
        {
            // The page may be gone (crashed, closed); the test's own failure is the one worth reporting.
        }
    }
}
