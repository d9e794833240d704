using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>Signing up in a real browser: by label and key, with the browser's own checks and the server's.</summary>
[Collection(BrowserTests.Name)]
public sealed class SignupInBrowserTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public Task Signing_up_lands_on_the_listing_with_the_welcome_shown_once_and_yourself_on_top() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("Robin");

        Assert.Equal(302, (await SignUpAsync(page, name, $"{name}@example.com")).Status);

        await Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Welcome, {name}! Your account was created.");
        await Expect(page.Locator(".user-list li").First.Locator(".username")).ToHaveTextAsync(name);

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await Expect(page.Locator(".user-list li").First.Locator(".username")).ToHaveTextAsync(name);
    });

    [SkippableFact]
    public Task An_empty_form_is_stopped_by_the_browsers_own_validation_without_a_request() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;

        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        var username = page.GetByLabel("Username", new() { Exact = true });
        Assert.True(await username.EvaluateAsync<bool>("input => input.validity.valueMissing"));
        Assert.False(await page.Locator("form.signup-form").EvaluateAsync<bool>("form => form.checkValidity()"));
        await Expect(username).ToBeFocusedAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/users/new$"));
        Assert.Equal(0, posts);
    });

    [SkippableFact]
    public Task The_browser_checks_the_same_rules_as_the_server() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");
        var username = page.GetByLabel("Username", new() { Exact = true });
        var email = page.GetByLabel("Email address");

        await username.FillAsync("no spaces");
        Assert.True(await username.EvaluateAsync<bool>("input => input.validity.patternMismatch"));
        await username.FillAsync("ab");
        await username.PressAsync("End");
        Assert.True(await username.EvaluateAsync<bool>("input => input.minLength === 3 && input.value.length < input.minLength"));
        await username.FillAsync("");
        await username.PressSequentiallyAsync(new string('a', 45));
        await Expect(username).ToHaveValueAsync(new string('a', 40));

        await email.FillAsync("not-an-email");
        Assert.True(await email.EvaluateAsync<bool>("input => input.validity.typeMismatch"));
        await email.FillAsync("person@example.com");
        Assert.True(await email.EvaluateAsync<bool>("input => input.validity.valid"));
    });

    [SkippableFact]
    public Task With_browser_checks_bypassed_the_server_answers_400_with_messages_beside_the_fields_and_focus_on_the_first() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");
        await page.Locator("form.signup-form").EvaluateAsync("form => form.noValidate = true");
        var username = page.GetByLabel("Username", new() { Exact = true });
        var email = page.GetByLabel("Email address");
        await username.FillAsync("no spaces");
        await email.FillAsync("nobody");

        var response = await page.RunAndWaitForResponseAsync(() => email.PressAsync("Enter"), r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        await Expect(page.Locator("#username-error")).ToHaveTextAsync("Use only letters, digits, '.', '_' and '-' in a username.");
        await Expect(page.Locator("#email-error")).ToHaveTextAsync("Enter an email address like name@example.com.");
        await Expect(username).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(username).ToHaveAccessibleDescriptionAsync(new Regex("^Use only letters"));
        await Expect(username).ToBeFocusedAsync();
        await Expect(username).ToHaveValueAsync("no spaces");
        await Expect(email).ToHaveValueAsync("nobody");
    });

    [SkippableFact]
    public Task When_only_the_email_is_wrong_focus_goes_to_the_email() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users/new");
        await page.Locator("form.signup-form").EvaluateAsync("form => form.noValidate = true");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(SignupClient.UniqueName("fine"));

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        await Expect(page.Locator("#username-error")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Email address")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Email address")).ToHaveAccessibleDescriptionAsync(new Regex("^Enter an email address\\."));
    });

    [SkippableFact]
    public Task A_username_taken_in_another_letter_case_is_refused_with_409_beside_the_username() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("Maple");
        Assert.Equal(302, (await SignUpAsync(page, name, $"{name}@example.com")).Status);

        var conflict = await SignUpAsync(page, name.ToUpperInvariant(), $"other-{name}@example.com");

        Assert.Equal(409, conflict.Status);
        await Expect(page.Locator("#username-error")).ToHaveTextAsync("That username is taken. Try another one.");
        await Expect(page.GetByLabel("Username", new() { Exact = true })).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Username", new() { Exact = true })).ToHaveValueAsync(name.ToUpperInvariant());
    });

    /// <summary>Fills the form by label and presses Enter; the answer to the POST (302, 400 or 409).</summary>
    private static async Task<IResponse> SignUpAsync(IPage page, string username, string email)
    {
        await page.GotoAsync("/users/new");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        await page.GetByLabel("Email address").FillAsync(email);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByLabel("Email address").PressAsync("Enter"), r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync();
        return response;
    }
}
