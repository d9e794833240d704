using Microsoft.Playwright;
using UserPages.Data;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>
/// The pictures in the README, on a phone and a desktop: the signup form, the form with errors and the listing; then
/// "check your inbox", the confirmation, the manage entry page (light and dark), the delete confirmation and privacy.
/// Every run writes them to <c>TestResults/browser/screenshots/</c>; <c>docs/screenshots/update</c> points
/// <c>USERPAGES_SCREENSHOTS</c> at <c>docs/screenshots/</c> to refresh the committed ones.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScreenshotTests(BrowserFixture browser, ScreenshotTests.Fixture app) : IClassFixture<ScreenshotTests.Fixture>
{
    private static readonly string Directory =
        Environment.GetEnvironmentVariable("USERPAGES_SCREENSHOTS") is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(Scenario.ResultsDirectory, "screenshots");

    /// <summary>
    /// A few people who joined over the last months, so the listing looks like one in use; confirmation by mail on,
    /// as it is by default.
    /// </summary>
    public sealed class Fixture(TestServers servers) : MailedBrowserApp(servers)
    {
        protected override Task OnMigratedAsync()
        {
            var now = DateTime.UtcNow;
            ImportedUser[] people =
            [
                new("ada.lovelace", "ada@analytical.example", now.AddDays(-200)),
                new("grace_hopper", "grace@cobol.example", now.AddDays(-41)),
                new("alan-turing", "alan@bletchley.example", now.AddDays(-9)),
                new("katherine.j", "katherine@nasa.example", now.AddDays(-3)),
                new("linus_t", "linus@kernel.example", now.AddHours(-20)),
                new("margaret.h", "margaret@apollo.example", now.AddHours(-5)),
                new("dennis_r", "dennis@unix.example", now.AddMinutes(-42)),
            ];
            return Db.ImportUsersAsync(people);
        }
    }

    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public Task Signup_form_form_with_errors_and_listing(string width) => browser.RunAsync(app, async page =>
    {
        var form = await SignupForm.OpenAsync(page);
        await SaveAsync(page, $"signup-{width}");

        await form.SkipBrowserChecksAsync();
        Assert.Equal(400, (await form.SendAsync("grace hopper", "grace@")).Status);
        await SaveAsync(page, $"signup-errors-{width}");

        await page.GotoAsync("/users");
        await Expect(page.Locator(".user-list li")).ToHaveCountAsync(7);
        await SaveAsync(page, $"listing-{width}");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await SaveAsync(page, $"listing-dark-{width}");
    }, width == "phone" ? Scenario.Phone : Scenario.Desktop);

    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public Task Check_inbox_confirm_manage_delete_and_privacy(string width) => browser.RunAsync(app, async page =>
    {
        const string Name = "hedy.lamarr";
        const string Email = "hedy@radio.example";
        var form = await SignupForm.OpenAsync(page);
        var confirmation = await app.LinkMailedAfterAsync(Email, EntryMail.ConfirmSignupSubject, () => form.SendAsync(Name, Email));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        await SaveAsync(page, $"check-inbox-{width}");

        await page.GotoAsync(confirmation);
        await SaveAsync(page, $"confirm-{width}");
        await page.PressAsync("Confirm");

        await page.ManageAsync(app, Email);
        await SaveAsync(page, $"manage-entry-{width}");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await SaveAsync(page, $"manage-entry-dark-{width}");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        await page.GetByRole(AriaRole.Link, new() { Name = "Delete my entry…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete your entry?" })).ToBeVisibleAsync();
        await SaveAsync(page, $"delete-{width}");
        // Deleted again, so the name is free for the other width and the listing picture keeps its seven people.
        Assert.Equal(302, (await page.PressAsync("Delete my entry")).Status);

        await page.GotoAsync("/privacy");
        await SaveAsync(page, $"privacy-{width}");
    }, width == "phone" ? Scenario.Phone : Scenario.Desktop);

    private static async Task SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Directory, name + ".png"), FullPage = true });
    }
}
