using System.Text.Json;
using Microsoft.Playwright;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>
/// Managing one's own entry as a person does, by labels and button names: asking for a link from the form or the
/// listing, opening it from the real mail, renaming, moving to another address, downloading the data, deleting; and
/// what they meet when it goes wrong (a mistyped address, a taken name, an edit in another session, a used or expired
/// link). axe finds nothing serious on any of these pages, light or dark, and none scrolls sideways on a phone.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ManageInBrowserTests(BrowserFixture browser, MailedBrowserApp app) : IClassFixture<MailedBrowserApp>
{
    [Fact]
    public Task Ask_for_a_link_from_the_listing_open_it_and_rename_the_entry() => browser.RunAsync(app, async page =>
    {
        var (name, taken, renamed) = (SignupClient.UniqueName("rename"), SignupClient.UniqueName("taken"), SignupClient.UniqueName("renamed"));
        var email = await page.SignUpConfirmedAsync(app, name);
        await page.SignUpConfirmedAsync(app, taken);

        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage my entry" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users/manage").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Manage my entry" })).ToBeVisibleAsync();
        await AssertUsableOnAPhoneAsync(page, "the manage link form");

        await page.SkipBrowserChecksAsync();
        var address = page.GetByLabel("Your entry's email address");
        await address.FillAsync("not an address");
        Assert.Equal(400, (await page.PressAsync("Mail me a link")).Status);
        await Expect(address).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(address).ToBeFocusedAsync();
        await Expect(page.Locator("#email-error")).Not.ToBeEmptyAsync();
        await AssertUsableOnAPhoneAsync(page, "the manage link form with an error");

        var link = await page.AskForManageLinkAsync(app, email);
        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users/manage/sent").ToString());
        await AssertUsableOnAPhoneAsync(page, "the manage link's 'check your inbox'");

        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Manage my entry" })).ToBeVisibleAsync();
        await AssertUsableOnAPhoneAsync(page, "the manage link's page");
        await page.OpenEntryAsync(link);
        await Expect(page.Locator("#current-username")).ToHaveTextAsync(name);
        await AssertUsableOnAPhoneAsync(page, "the entry page");
        await AssertApartAsync(page.Locator("#rename"), page.Locator("#email"), below: true);

        var username = page.GetByLabel("Username", new() { Exact = true });
        await username.FillAsync(taken.ToUpperInvariant());
        Assert.Equal(409, (await page.PressAsync("Change username")).Status);
        await Expect(page.Locator("#username-error")).ToHaveTextAsync("That username is taken. Try another one.");
        await Expect(username).ToBeFocusedAsync();
        await AssertUsableOnAPhoneAsync(page, "the entry page with a taken username");

        await username.FillAsync(renamed);
        Assert.Equal(302, (await page.PressAsync("Change username")).Status);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Your username is now {renamed}.");
        await Expect(page.Locator("#current-username")).ToHaveTextAsync(renamed);

        await page.GotoAsync("/users");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = renamed, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
    }, Scenario.Phone);

    [Fact]
    public Task Ask_from_the_signup_form_to_move_to_another_address_and_confirm_from_its_mail() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("move");
        var email = await page.SignUpConfirmedAsync(app, name);
        var newEmail = $"{name}@moved.example";

        await SignupForm.OpenAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage my entry" }).ClickAsync();
        await page.OpenEntryAsync(await page.AskForManageLinkAsync(app, email));
        var confirmation = await app.LinkMailedAfterAsync(newEmail, EntryMail.ConfirmNewEmailSubject, async () =>
        {
            await page.GetByLabel("New email address").FillAsync(newEmail);
            Assert.Equal(302, (await page.PressAsync("Change email address")).Status);
        });
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"We sent a link to {newEmail}.");
        await Expect(page.Locator("#current-email")).ToHaveTextAsync(email);
        await AssertUsableOnAPhoneAsync(page, "the entry page after asking to move");

        await page.GotoAsync(confirmation);
        await Expect(page.Locator("main .lead")).ToContainTextAsync(newEmail);
        await AssertUsableOnAPhoneAsync(page, "the new address's confirmation page");
        Assert.Equal(302, (await page.PressAsync("Use this address")).Status);

        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users").ToString());
        await Expect(page.Locator(".flash")).ToHaveTextAsync($"Your entry now has the address {newEmail}.");
        await page.GotoAsync("/users/manage/entry");
        await Expect(page.Locator("#current-email")).ToHaveTextAsync(newEmail);

        var again = await page.GotoAsync(confirmation);
        Assert.Equal(404, again!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await AssertUsableOnAPhoneAsync(page, "a used email-change link");
    }, Scenario.Phone);

    [Fact]
    public Task Download_my_data_gives_a_json_file_with_the_entry() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("download");
        var email = await page.SignUpConfirmedAsync(app, name);
        await page.ManageAsync(app, email);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download my data" }).ClickAsync());

        Assert.Matches(@"^userpages-entry-\d+\.json$", download.SuggestedFilename);
        using var data = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken));
        Assert.Equal(name, data.RootElement.GetProperty("username").GetString());
        Assert.Equal(email, data.RootElement.GetProperty("email").GetString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your entry" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Delete_asks_once_more_then_the_entry_is_gone_from_the_listing() => browser.RunAsync(app, async page =>
    {
        var name = SignupClient.UniqueName("delete");
        var email = await page.SignUpConfirmedAsync(app, name);
        await page.ManageAsync(app, email);

        await page.GetByRole(AriaRole.Link, new() { Name = "Delete my entry…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete your entry?" })).ToBeVisibleAsync();
        await Expect(page.Locator("#current-username")).ToHaveTextAsync(name);
        await AssertUsableOnAPhoneAsync(page, "the delete confirmation");
        await AssertApartAsync(page.GetByRole(AriaRole.Button, new() { Name = "Delete my entry" }), page.GetByRole(AriaRole.Link, new() { Name = "Keep it" }), below: false);
        await page.GetByRole(AriaRole.Link, new() { Name = "Keep it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your entry" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Delete my entry…" }).ClickAsync();
        Assert.Equal(302, (await page.PressAsync("Delete my entry")).Status);

        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users").ToString());
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Your entry {name} was deleted.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
        await page.GotoAsync("/users/manage/entry");
        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users/manage").ToString());
    }, Scenario.Phone);

    [Fact]
    public Task An_edit_or_delete_against_an_entry_changed_in_another_session_shows_what_is_stored_now() => browser.RunAsync(app, async page =>
    {
        var (name, elsewhere, mine, later) = (SignupClient.UniqueName("conflict"), SignupClient.UniqueName("elsewhere"), SignupClient.UniqueName("mine"), SignupClient.UniqueName("later"));
        var email = await page.SignUpConfirmedAsync(app, name);
        await page.ManageAsync(app, email);
        await using var otherSession = await browser.Browser.NewContextAsync(new() { BaseURL = app.Address.ToString(), ViewportSize = Scenario.Desktop });
        otherSession.SetDefaultTimeout((float)Scenario.StepTimeout.TotalMilliseconds);
        var other = await otherSession.NewPageAsync();
        await other.ManageAsync(app, email);
        await RenameAsync(other, elsewhere);

        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(mine);
        Assert.Equal(409, (await page.PressAsync("Change username")).Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("changed after this page was shown");
        await Expect(page.Locator("#username-now")).ToHaveTextAsync($"Now stored: {elsewhere}");
        await Expect(page.Locator("#current-username")).ToHaveTextAsync(elsewhere);
        await AssertUsableOnAPhoneAsync(page, "the entry page, changed meanwhile");
        Assert.Equal(302, (await page.PressAsync("Change username")).Status);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Your username is now {mine}.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Delete my entry…" }).ClickAsync();
        await other.ReloadAsync();
        await RenameAsync(other, later);
        Assert.Equal(409, (await page.PressAsync("Delete my entry")).Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was deleted");
        await Expect(page.Locator("#current-username")).ToHaveTextAsync(later);
        await AssertUsableOnAPhoneAsync(page, "the delete confirmation, changed meanwhile");
    }, Scenario.Phone);

    [Fact]
    public Task A_used_or_expired_manage_link_says_what_to_do_next() => browser.RunAsync(app, async page =>
    {
        var email = await page.SignUpConfirmedAsync(app, SignupClient.UniqueName("links"));
        await page.GotoAsync("/users/manage");
        var used = await page.AskForManageLinkAsync(app, email);
        await page.OpenEntryAsync(used);

        var again = await page.GotoAsync(used);
        Assert.Equal(404, again!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await AssertUsableOnAPhoneAsync(page, "a used manage link");

        await page.GotoAsync("/users/manage");
        var late = await page.AskForManageLinkAsync(app, email);
        await ExpireLinksToAsync(email);
        var expired = await page.GotoAsync(late);
        Assert.Equal(410, expired!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link has expired" })).ToBeVisibleAsync();
        await AssertUsableOnAPhoneAsync(page, "an expired manage link");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ask for a new link" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.Address, "/users/manage").ToString());
    }, Scenario.Phone);

    [Fact]
    public Task Tab_goes_through_the_entry_page_in_reading_order_each_with_a_visible_focus_ring() => browser.RunAsync(app, async page =>
    {
        var email = await page.SignUpConfirmedAsync(app, SignupClient.UniqueName("tab"));
        await page.ManageAsync(app, email);
        await page.GotoAsync("/users/manage/entry");

        var visited = await Focus.TabThroughAsync(page, 12);

        Assert.Equal(
            ["Skip to content", "UserPages", "Users", "Sign up", "Username", "Change username", "New email address", "Change email address",
                "Download my data", "Delete my entry…", "End this session", "Privacy"],
            visited);
    });

    private static async Task AssertUsableOnAPhoneAsync(IPage page, string state)
    {
        await page.AssertAccessibleAsync(state);
        await page.AssertFitsItsWidthAsync(state);
    }

    /// <summary>
    /// <paramref name="second"/> is at least half a line away from <paramref name="first"/>, beside it or
    /// <paramref name="below"/> it: two things to press that touch read as one, and invite pressing the wrong one.
    /// </summary>
    private static async Task AssertApartAsync(ILocator first, ILocator second, bool below)
    {
        var (a, b) = ((await first.BoundingBoxAsync())!, (await second.BoundingBoxAsync())!);
        var gap = below ? b.Y - (a.Y + a.Height) : b.X - (a.X + a.Width);
        Assert.True(gap >= 8, $"{second} is {gap} px from {first}.");
    }

    private static async Task RenameAsync(IPage page, string username)
    {
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        Assert.Equal(302, (await page.PressAsync("Change username")).Status);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Your username is now {username}.");
    }

    // A controlled clock would move every link of the app; this moves only the one entry's, as time would.
    private async Task ExpireLinksToAsync(string email)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var unit = await app.Db.Database.BeginWriteAsync(cancellationToken);
        await Dapper.SqlMapper.ExecuteAsync(
            unit.Connection,
            "UPDATE entry_tokens SET expires_at = @Past WHERE user_id = (SELECT id FROM users WHERE email = @Email)",
            new { Past = UserPages.Data.DatabaseTime.From(DateTime.UtcNow.AddMinutes(-1)), Email = email },
            unit.Transaction);
        await unit.CommitAsync(cancellationToken);
    }
}
