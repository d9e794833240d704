using Microsoft.Playwright;

namespace UserPages.Tests.Browser;

/// <summary>axe-core (from npm, copied into the test output) run on the page as it stands.</summary>
public static class Axe
{
    private static readonly string ScriptPath = Path.Combine(AppContext.BaseDirectory, "axe.min.js");

    private static readonly Lazy<string> Script = new(() => File.ReadAllText(ScriptPath));

    // Only what would stop or seriously hinder a person; "moderate" and "minor" findings are advice.
    private const string RunAxe = """
        async () => {
            const result = await axe.run(document, { resultTypes: ['violations'] });
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) }));
        }
        """;

    /// <summary>Fails with every serious or critical violation on the page, in light and in dark colours.</summary>
    public static async Task AssertAccessibleAsync(this IPage page, string state)
    {
        EnsureAvailable();

        // Evaluated rather than added as a <script> tag: an inline script tag would be refused by the app's
        // Content-Security-Policy, while DevTools evaluation is not subject to it.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Script.Value);
        }

        var found = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            foreach (var violation in await page.EvaluateAsync<Violation[]>(RunAxe))
            {
                found.Add($"{scheme}: {violation.Impact} {violation.Id} ({violation.Help}) at {string.Join(", ", violation.Targets)}");
            }
        }

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        Assert.True(found.Count == 0, $"axe found serious or critical violations on {state}:\n{string.Join('\n', found)}");
    }

    /// <summary>Skips the test, saying why, when the test build had no npm to restore axe-core; under CI=true, fails it.</summary>
    public static void EnsureAvailable()
    {
        if (File.Exists(ScriptPath))
        {
            return;
        }

        const string Reason = "axe-core is not in the test output: the test build restores it with npm (install npm; .ci/run does).";
        if (BrowserFixture.UnderCI)
        {
            throw new InvalidOperationException($"{Reason} Under CI=true that is a failure, not a skip.");
        }

        Assert.Skip(Reason);
    }

    private sealed class Violation
    {
        public string Id { get; init; } = "";

        public string Impact { get; init; } = "";

        public string Help { get; init; } = "";

        public string[] Targets { get; init; } = [];
    }
}
