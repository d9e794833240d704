using Microsoft.Playwright;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>
/// Signing up as a person does, on a phone and a desktop: the form, "check your inbox", the link from the real mail
/// opened in the browser, its one button, the listing with the welcome; then the same link again. axe finds nothing
/// serious on any of these pages, light or dark, nor on the privacy page the form links to.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ConfirmInBrowserTests(BrowserFixture browser, MailedBrowserApp app) : IClassFixture<MailedBrowserApp>
{
    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public Task Sign_up_check_the_inbox_confirm_and_be_listed(string width) => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName(width);
        var email = $"{name}@example.com";
        var form = await SignupForm.OpenAsync(page);

        Assert.Equal(302, (await form.SendAsync(name, email)).Status);

        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users/check-inbox").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("check your inbox");
        await page.AssertFitsItsWidthAsync("check your inbox");

        var link = await app.LinkMailedToAsync(email, EntryMail.ConfirmSignupSubject);
        await page.GotoAsync(link);
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Confirm" });
        await Expect(confirm).ToBeVisibleAsync();
        await Expect(page.Locator("main .lead")).ToContainTextAsync(name);
        await page.AssertAccessibleAsync("the confirmation page");
        await page.AssertFitsItsWidthAsync("the confirmation page");

        await confirm.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users").ToString());
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Welcome, {name}!");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();

        var again = await page.GotoAsync(link);
        Assert.Equal(404, again!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("a used confirmation link");
        await page.AssertFitsItsWidthAsync("a used confirmation link");
    }, width == "phone" ? Scenario.Phone : Scenario.Desktop);

    [Fact]
    public Task The_privacy_page_is_linked_from_the_form_and_says_how_long_things_are_kept() => browser.RunAsync(app, async page =>
    {
        await SignupForm.OpenAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "What we store and why" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Privacy", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("not confirmed within 24 hours is deleted");
        await page.AssertAccessibleAsync("the privacy page");
        await page.AssertFitsItsWidthAsync("the privacy page");
    }, Scenario.Phone);
}
