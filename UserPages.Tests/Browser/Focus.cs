using Microsoft.Playwright;

namespace UserPages.Tests.Browser;

/// <summary>Where the keyboard is: the focused element as a person would name it, and whether its focus ring can be seen.</summary>
public sealed class Focus
{
    private const string Describe = """
        () => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            return {
                name: e.labels?.[0]?.textContent.trim() ?? e.textContent.trim(),
                ringVisible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                onScreen: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
            };
        }
        """;

    public string Name { get; init; } = "";

    public bool RingVisible { get; init; }

    public bool OnScreen { get; init; }

    /// <summary>Presses Tab <paramref name="times"/> times; each stop's name, failing on one without a visible ring on screen.</summary>
    public static async Task<List<string>> TabThroughAsync(IPage page, int times)
    {
        var visited = new List<string>();
        for (var i = 0; i < times; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<Focus>(Describe);
            Assert.True(focus.RingVisible, $"No visible focus ring on '{focus.Name}'.");
            Assert.True(focus.OnScreen, $"'{focus.Name}' has focus but is off screen.");
            visited.Add(focus.Name);
        }

        return visited;
    }
}
