using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>
/// The form's bot checks as people meet them, with the minimum fill time on as shipped: someone typing at a person's
/// pace with the keyboard, correcting an error at once, or coming back with the back button is listed; the honeypot is
/// out of sight, out of the Tab order and of autofill's reach; axe still finds nothing serious.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class BotCheckInBrowserTests(BrowserFixture browser, BotCheckInBrowserTests.App app) : IClassFixture<BotCheckInBrowserTests.App>
{
    // A person's pace on a keyboard, well under most people's: the fields take longer than the minimum fill time.
    private static readonly KeyboardTypeOptions PersonsPace = new() { Delay = 80 };

    private static readonly string[] NamingAttributes = ["name", "id"];

    [Fact]
    public Task Someone_typing_with_the_keyboard_alone_is_listed_and_Tab_never_reaches_the_honeypot() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("typist");
        var form = await SignupForm.OpenAsync(page);
        await form.Username.FocusAsync();

        await page.Keyboard.TypeAsync(name, PersonsPace);
        await page.Keyboard.PressAsync("Tab");
        await Expect(form.Email).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync($"{name}@example.com", PersonsPace);
        await page.Keyboard.PressAsync("Tab");
        await Expect(form.Submit).ToBeFocusedAsync();
        await form.SubmitAsync(() => page.Keyboard.PressAsync("Enter"));

        await Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Welcome, {name}!");

        // Every element Tab reaches on the form's page, twice round: never the honeypot.
        await SignupForm.OpenAsync(page);
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.NotEqual(SignupBotCheck.HoneypotField, await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('name')"));
        }
    });

    [Fact]
    public Task An_error_corrected_at_once_is_listed() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("fixer");
        var form = await SignupForm.OpenAsync(page);
        await form.SkipBrowserChecksAsync();
        await form.Username.PressSequentiallyAsync(name, new() { Delay = 80 });
        await form.Email.PressSequentiallyAsync($"{name}@example", new() { Delay = 80 });
        Assert.Equal(400, (await form.SubmitAsync(() => form.Email.PressAsync("Enter"))).Status);

        // Straight back in, well within the minimum fill time of the page just shown.
        await form.SkipBrowserChecksAsync();
        await form.Email.FillAsync($"{name}@example.com");
        await form.SubmitAsync(() => form.Email.PressAsync("Enter"));

        await Expect(page.Locator(".flash")).ToContainTextAsync($"Welcome, {name}!");
    });

    [Fact]
    public Task Someone_who_signs_up_goes_back_and_signs_up_someone_else_is_listed_both_times() => browser.RunAsync(app, async page =>
    {
        var first = SignupClient.UniqueName("first");
        var second = SignupClient.UniqueName("second");
        var form = await SignupForm.OpenAsync(page);
        await form.Username.PressSequentiallyAsync(first, new() { Delay = 80 });
        await form.Email.PressSequentiallyAsync($"{first}@example.com", new() { Delay = 80 });
        await form.SubmitAsync(() => form.Email.PressAsync("Enter"));
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Welcome, {first}!");

        await page.GoBackAsync();
        await Expect(form.Username).ToBeVisibleAsync();
        await form.Username.ClearAsync();
        await form.Username.PressSequentiallyAsync(second, new() { Delay = 80 });
        await form.Email.ClearAsync();
        await form.Email.PressSequentiallyAsync($"{second}@example.com", new() { Delay = 80 });
        await form.SubmitAsync(() => form.Email.PressAsync("Enter"));

        await Expect(page.Locator(".flash")).ToContainTextAsync($"Welcome, {second}!");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = first })).ToBeVisibleAsync();
    });

    [Fact]
    public Task The_honeypot_is_off_screen_hidden_from_assistive_technology_and_unknown_to_autofill() => browser.RunAsync(app, async page =>
    {
        await SignupForm.OpenAsync(page);
        var honeypot = page.Locator($"input[name={SignupBotCheck.HoneypotField}]");

        Assert.Equal("-1", await honeypot.GetAttributeAsync("tabindex"));
        Assert.Equal("off", await honeypot.GetAttributeAsync("autocomplete"));
        Assert.Equal("true", await honeypot.Locator("xpath=..").GetAttributeAsync("aria-hidden"));
        Assert.Equal("Leave this field empty", await page.Locator($"label[for={await honeypot.GetAttributeAsync("id")}]").TextContentAsync());
        var box = await honeypot.BoundingBoxAsync();
        Assert.True(box is null || box.X + box.Width <= 0, $"The honeypot is on screen at x={box?.X}.");

        // Nothing autofill heuristics read as a person's details, in its name or id.
        foreach (var attribute in NamingAttributes)
        {
            var value = (await honeypot.GetAttributeAsync(attribute))!.ToLowerInvariant();
            Assert.DoesNotMatch("name|mail|user|login|phone|tel|address|street|city|zip|postal|country|company|organi|birth|card|url|site", value);
        }

        await page.AssertAccessibleAsync("the signup form with its honeypot");
        await page.AssertFitsItsWidthAsync("the signup form with its honeypot");
    }, Scenario.Phone);

    /// <summary>The browser tests' app with the minimum fill time at its shipped value.</summary>
    public sealed class App(TestServers servers) : BrowserApp(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["Signup:MinimumFillTime"] = "00:00:02",
        };
    }
}
