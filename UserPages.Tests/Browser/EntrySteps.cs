using Microsoft.Playwright;
using UserPages.Pages.Users;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>
/// Getting to one's own entry as a person does, by labels and button names: sign up and confirm from the mail, then
/// ask for a manage link and open it.
/// </summary>
public static class EntrySteps
{
    /// <summary>Signs <paramref name="name"/> up with <c>name@example.com</c>, confirms from the mail, and returns the address.</summary>
    public static async Task<string> SignUpConfirmedAsync(this IPage page, MailedBrowserApp app, string name)
    {
        var email = $"{name}@example.com";
        var form = await SignupForm.OpenAsync(page);
        var link = await app.LinkMailedAfterAsync(email, EntryMail.ConfirmSignupSubject, () => form.SendAsync(name, email));
        await page.GotoAsync(link);
        await page.PressAsync("Confirm");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        return email;
    }

    /// <summary>On the "Manage my entry" form: asks for a link for <paramref name="email"/> and returns the mailed link's path.</summary>
    public static async Task<string> AskForManageLinkAsync(this IPage page, MailedBrowserApp app, string email)
    {
        var link = await app.LinkMailedAfterAsync(email, EntryMail.ManageSubject, async () =>
        {
            await page.GetByLabel("Your entry's email address").FillAsync(email);
            Assert.Equal(302, (await page.PressAsync("Mail me a link")).Status);
        });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        return link;
    }

    /// <summary>Opens the mailed manage link and presses its button: the entry page, in a manage session.</summary>
    public static async Task OpenEntryAsync(this IPage page, string link)
    {
        await page.GotoAsync(link);
        Assert.Equal(302, (await page.PressAsync("Manage my entry")).Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your entry" })).ToBeVisibleAsync();
    }

    /// <summary>From the "Manage my entry" page: asks for a link, opens it, and lands on the entry page.</summary>
    public static async Task ManageAsync(this IPage page, MailedBrowserApp app, string email)
    {
        await page.GotoAsync("/users/manage");
        await page.OpenEntryAsync(await page.AskForManageLinkAsync(app, email));
    }
}
