using Microsoft.Playwright;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>axe-core finds nothing serious or critical on any page, in any state a person can reach, light or dark.</summary>
[Collection(BrowserTests.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    // One walk in order, because the first state (nobody signed up yet) exists only on a fresh database.
    [SkippableFact]
    public Task Every_page_and_state_has_no_serious_or_critical_violations() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users");
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("No one has signed up yet.");
        await Expect(page.GetByRole(AriaRole.Search)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Be the first to sign up" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("the empty listing");

        await page.GotoAsync("/users/new");
        await page.AssertAccessibleAsync("the empty signup form");

        await page.Locator("form.signup-form").EvaluateAsync("form => form.noValidate = true");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#username-error")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("the signup form with errors");

        var name = SignupClient.UniqueName("axe");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Email address").FillAsync($"{name}@example.com");
        await page.GetByLabel("Email address").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("the listing with the welcome message");

        await page.GotoAsync("/users?q=nobody-matches-this");
        await Expect(page.Locator(".empty")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("a search with no results");

        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("a user's profile");

        await page.GotoAsync("/users/987654");
        await page.AssertAccessibleAsync("the 404 page");
    });

    // Guards the guard: a check that cannot fail proves nothing.
    [SkippableFact]
    public Task The_check_does_report_a_field_that_has_lost_its_label() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");
        await page.Locator("label[for=Input_Username]").EvaluateAsync("label => label.remove()");

        var failure = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => page.AssertAccessibleAsync("a form missing a label"));

        Assert.Contains("critical label", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#Input_Username", failure.Message, StringComparison.Ordinal);
    });
}
