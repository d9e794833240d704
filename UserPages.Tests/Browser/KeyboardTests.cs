using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>Using the app with the keyboard alone: a sensible Tab order, a skip link, and focus you can see.</summary>
[Collection(BrowserTests.Name)]
public sealed class KeyboardTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    // What the focused element is, as a person would name it, and whether its focus ring can be seen.
    private const string DescribeFocus = """
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

    [Fact]
    public Task Tab_goes_skip_link_then_navigation_then_fields_then_button_each_with_a_visible_focus_ring() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");

        var visited = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<Focus>(DescribeFocus);
            Assert.True(focus.RingVisible, $"No visible focus ring on '{focus.Name}'.");
            Assert.True(focus.OnScreen, $"'{focus.Name}' has focus but is off screen.");
            visited.Add(focus.Name);
        }

        Assert.Equal(["Skip to content", "UserPages", "Users", "Sign up", "Username", "Email address", "Create account"], visited);
    });

    [Fact]
    public Task The_skip_link_jumps_past_the_navigation_and_the_form_works_from_the_keyboard_alone() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("keys");
        await page.GotoAsync("/users/new");

        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await Expect(new SignupForm(page).Username).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(name);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync($"{name}@example.com");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(name);
    });

    private sealed class Focus
    {
        public string Name { get; init; } = "";

        public bool RingVisible { get; init; }

        public bool OnScreen { get; init; }
    }
}
