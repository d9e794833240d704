using Microsoft.Playwright;

namespace UserPages.Tests.Browser;

/// <summary>The signup form as a person finds it: by its labels and its button's name.</summary>
public sealed class SignupForm(IPage page)
{
    public ILocator Username { get; } = page.GetByLabel("Username", new() { Exact = true });

    public ILocator Email { get; } = page.GetByLabel("Email address");

    public ILocator Submit { get; } = page.GetByRole(AriaRole.Button, new() { Name = "Create account" });

    public static async Task<SignupForm> OpenAsync(IPage page)
    {
        await page.GotoAsync("/users/new");
        return new SignupForm(page);
    }

    /// <summary>Turns the browser's own checks off (as a script or an old browser might), so the server answers.</summary>
    public Task SkipBrowserChecksAsync() => page.Locator("form.signup-form").EvaluateAsync("form => form.noValidate = true");

    /// <summary>Fills both fields, presses Enter, and returns the answer to the POST (302, 400 or 409) once shown.</summary>
    public async Task<IResponse> SendAsync(string username, string email)
    {
        await Username.FillAsync(username);
        await Email.FillAsync(email);
        return await SubmitAsync(() => Email.PressAsync("Enter"));
    }

    /// <summary>Submits through the given action (a key or a click) and returns the answer to the POST once shown.</summary>
    public Task<IResponse> SubmitAsync(Func<Task> action) => Forms.SubmitAsync(page, action);
}
