using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>Using the app with the keyboard alone: a sensible Tab order, a skip link, and focus you can see.</summary>
[Collection(BrowserTests.Name)]
public sealed class KeyboardTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task Tab_goes_skip_link_then_navigation_then_fields_then_button_each_with_a_visible_focus_ring() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");

        var visited = await Focus.TabThroughAsync(page, 7);

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
}
