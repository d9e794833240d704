using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>Signing up in a real browser: by label and key, with the browser's own checks and the server's.</summary>
[Collection(BrowserTests.Name)]
public sealed class SignupInBrowserTests(BrowserFixture browser, BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task Signing_up_lands_on_the_listing_with_the_welcome_shown_once_and_yourself_on_top() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("Robin");
        var form = await SignupForm.OpenAsync(page);

        Assert.Equal(302, (await form.SendAsync(name, $"{name}@example.com")).Status);

        await Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Welcome, {name}! Your account was created.");
        await Expect(page.Locator(".user-list li").First.Locator(".username")).ToHaveTextAsync(name);

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await Expect(page.Locator(".user-list li").First.Locator(".username")).ToHaveTextAsync(name);
    });

    [Fact]
    public Task An_empty_form_is_stopped_by_the_browsers_own_validation_without_a_request() => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;

        await form.Submit.ClickAsync();

        Assert.True(await form.Username.EvaluateAsync<bool>("input => input.validity.valueMissing"));
        Assert.False(await page.Locator("form.signup-form").EvaluateAsync<bool>("form => form.checkValidity()"));
        await Expect(form.Username).ToBeFocusedAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/users/new$"));
        Assert.Equal(0, posts);
    });

    [Fact]
    public Task A_name_typed_with_spaces_around_it_is_sent_and_stored_trimmed() => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);

        // Typed key by key: a phone keyboard adds the trailing space after an autocompleted word.
        await form.Username.PressSequentiallyAsync("  Ada.Lovelace ");
        await form.Email.PressSequentiallyAsync(" ada.lovelace@example.com ");
        Assert.True(await page.Locator("form.signup-form").EvaluateAsync<bool>("form => form.checkValidity()"), "The browser refused it.");
        var response = await form.SubmitAsync(() => form.Email.PressAsync("Enter"));

        Assert.Equal(302, response.Status);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Welcome, Ada.Lovelace! Your account was created.");
        await Expect(page.Locator(".user-list li").First.Locator(".username")).ToHaveTextAsync("Ada.Lovelace");
    });

    /// <summary>Values the server accepts once it has trimmed and NFKC-folded them, and the username it stores.</summary>
    public static TheoryData<string, string, string> AcceptedByTheServer => new()
    {
        // No-break spaces, as pasted from a web page.
        { "\u00A0Grace.Hopper\u00A0", "\u00A0grace.hopper@example.com\u00A0", "Grace.Hopper" },
        { "ＫＡＴＨＥＲＩＮＥ", "ｋａｔｈｅｒｉｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "KATHERINE" },
        // Two characters before folding: a minlength of 3 would have refused it.
        { "ﬁx", "fix@example.com", "fix" },
        // 42 characters before trimming: a maxlength of 40 would have cut off the end of the name.
        { "  " + new string('m', 40), "m40@example.com", new string('m', 40) },
    };

    [Theory]
    [MemberData(nameof(AcceptedByTheServer))]
    public Task The_browser_never_refuses_what_the_server_accepts(string username, string email, string stored) => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        await form.Username.FillAsync(username);
        await form.Email.FillAsync(email);

        Assert.True(await page.Locator("form.signup-form").EvaluateAsync<bool>("form => form.checkValidity()"), "The browser refused it.");
        Assert.Equal(302, (await form.SubmitAsync(() => form.Email.PressAsync("Enter"))).Status);
        await Expect(page.Locator(".user-list li").First.Locator(".username")).ToHaveTextAsync(stored);
    });

    [Fact]
    public Task Where_the_browser_refuses_it_says_what_the_server_says() => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;

        await form.Username.FillAsync("no spaces");
        await form.Email.FillAsync("not-an-email");
        await form.Email.PressAsync("Enter");

        Assert.True(await form.Username.EvaluateAsync<bool>("input => input.validity.patternMismatch"));
        Assert.True(await form.Email.EvaluateAsync<bool>("input => input.validity.patternMismatch"));
        await Expect(form.Username).ToBeFocusedAsync();
        Assert.Equal(0, posts);
        // Chromium shows the title under its own "Please match the requested format."
        var usernameMessage = await form.Username.GetAttributeAsync("title");
        var emailMessage = await form.Email.GetAttributeAsync("title");

        await form.SkipBrowserChecksAsync();
        Assert.Equal(400, (await form.SubmitAsync(() => form.Submit.ClickAsync())).Status);

        await Expect(page.Locator("#username-error")).ToHaveTextAsync(usernameMessage ?? "");
        await Expect(page.Locator("#email-error")).ToHaveTextAsync(emailMessage ?? "");
        await form.Email.FillAsync("person@example.com");
        Assert.True(await form.Email.EvaluateAsync<bool>("input => input.validity.valid"));
    });

    [Fact]
    public Task With_browser_checks_bypassed_the_server_answers_400_with_messages_beside_the_fields_and_focus_on_the_first() => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        await form.SkipBrowserChecksAsync();

        var response = await form.SendAsync("no spaces", "nobody");

        Assert.Equal(400, response.Status);
        await Expect(page).ToHaveTitleAsync("Error: Sign up · UserPages");
        await Expect(page.Locator("#username-error")).ToHaveTextAsync("Use only letters, digits, '.', '_' and '-' in a username.");
        await Expect(page.Locator("#email-error")).ToHaveTextAsync("Enter an email address like name@example.com.");
        await Expect(form.Username).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Username).ToHaveAccessibleDescriptionAsync(new Regex("^Use only letters"));
        await Expect(form.Username).ToBeFocusedAsync();
        await Expect(form.Username).ToHaveValueAsync("no spaces");
        await Expect(form.Email).ToHaveValueAsync("nobody");
    });

    [Fact]
    public Task When_only_the_email_is_wrong_focus_goes_to_the_email() => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        await form.SkipBrowserChecksAsync();
        await form.Username.FillAsync(SignupClient.UniqueName("fine"));

        var response = await form.SubmitAsync(() => form.Submit.ClickAsync());

        Assert.Equal(400, response.Status);
        await Expect(page.Locator("#username-error")).ToHaveCountAsync(0);
        await Expect(form.Email).ToBeFocusedAsync();
        await Expect(form.Email).ToHaveAccessibleDescriptionAsync(new Regex("^Enter an email address\\."));
    });

    [Fact]
    public Task A_username_taken_in_another_letter_case_is_refused_with_409_beside_the_username() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("Maple");
        Assert.Equal(302, (await (await SignupForm.OpenAsync(page)).SendAsync(name, $"{name}@example.com")).Status);

        var form = await SignupForm.OpenAsync(page);
        var conflict = await form.SendAsync(name.ToUpperInvariant(), $"other-{name}@example.com");

        Assert.Equal(409, conflict.Status);
        await Expect(page.Locator("#username-error")).ToHaveTextAsync("That username is taken. Try another one.");
        await Expect(form.Username).ToBeFocusedAsync();
        await Expect(form.Username).ToHaveValueAsync(name.ToUpperInvariant());
    });
}
