using Microsoft.Playwright;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>axe-core finds nothing serious or critical on any page, in any state a person can reach, light or dark.</summary>
[Collection(BrowserTests.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    // One walk in order, because the first state (nobody signed up yet) exists only on a fresh database.
    [Fact]
    public Task Every_page_and_state_has_no_serious_or_critical_violations() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users");
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("No one has signed up yet.");
        await Expect(page.GetByRole(AriaRole.Search)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Be the first to sign up" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("the empty listing");

        var form = await SignupForm.OpenAsync(page);
        await page.AssertAccessibleAsync("the empty signup form");

        await form.SkipBrowserChecksAsync();
        Assert.Equal(400, (await form.SendAsync("x", "")).Status);
        await page.AssertAccessibleAsync("the signup form with errors");

        var name = SignupClient.UniqueName("axe");
        Assert.Equal(302, (await form.SendAsync(name, $"{name}@example.com")).Status);
        await page.AssertAccessibleAsync("the listing with the welcome message");

        await page.GotoAsync("/users?q=nobody-matches-this");
        await Expect(page.Locator(".empty")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("a search with no results");

        await page.GotoAsync("/users?q=ab");
        await Expect(page.Locator("#q-error")).ToHaveTextAsync("Type at least 3 characters to search.");
        await page.AssertAccessibleAsync("a search refused as too short");

        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("a user's profile");

        await page.GotoAsync("/users/987654");
        await page.AssertAccessibleAsync("the 404 page");
    });

    // Guards the guard: a check that cannot fail proves nothing.
    [Fact]
    public Task The_check_does_report_a_field_that_has_lost_its_label() => browser.RunAsync(app, async page =>
    {
        Axe.EnsureAvailable();
        await page.GotoAsync("/users/new");
        await page.Locator("label[for=Input_Username]").EvaluateAsync("label => label.remove()");

        var failure = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => page.AssertAccessibleAsync("a form missing a label"));

        // The field's title (the server's message for the browser to show) names it still, but is no visible label.
        Assert.Contains("serious label-title-only", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#Input_Username", failure.Message, StringComparison.Ordinal);
    });
}
