using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>The pages on a 375 px phone and a desktop: nothing wider than the screen, nothing jumping about.</summary>
[Collection(BrowserTests.Name)]
public sealed class LayoutTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    // The longest name the rules allow, with nowhere to break it.
    private const string LongestName = "Wolfeschlegelsteinhausenbergerdorff-Jr.";

    [Theory]
    [InlineData("phone", "", "")]
    [InlineData("desktop", "", "")]
    [InlineData("desktop", "grace hopper", "grace@")]
    public Task Error_messages_appear_without_moving_the_fields_or_the_button(string width, string username, string email) => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        var before = await LayoutOfTheFormAsync(page);

        await form.SkipBrowserChecksAsync();
        Assert.Equal(400, (await form.SendAsync(username, email)).Status);
        await Expect(page.Locator("#username-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#email-error")).ToBeVisibleAsync();

        Assert.Equal(before, await LayoutOfTheFormAsync(page));
    }, width == "phone" ? Scenario.Phone : Scenario.Desktop);

    [Fact]
    public Task Every_page_fits_a_375px_phone_without_sideways_scrolling() => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        Assert.Equal(302, (await form.SendAsync(LongestName, $"{LongestName}@a-rather-long-domain-name.example")).Status);
        await AssertFitsAsync(page, "the listing");

        await page.GetByRole(AriaRole.Link, new() { Name = LongestName }).First.ClickAsync();
        await AssertFitsAsync(page, "a profile");

        await page.GotoAsync("/users?q=" + LongestName);
        await AssertFitsAsync(page, "a search");

        await page.GotoAsync("/users/new");
        await AssertFitsAsync(page, "the signup form");

        await page.GotoAsync("/users/987654");
        await AssertFitsAsync(page, "the 404 page");
    }, Scenario.Phone);

    private static Task<string> LayoutOfTheFormAsync(IPage page) => page.EvaluateAsync<string>("""
        () => ['#Input_Username', '#Input_Email', 'form.signup-form button']
            .map(selector => { const box = document.querySelector(selector).getBoundingClientRect(); return `${selector} ${box.x},${box.y} ${box.width}x${box.height}`; })
            .join('; ')
        """);

    private static Task AssertFitsAsync(IPage page, string what) => page.AssertFitsItsWidthAsync(what);
}
