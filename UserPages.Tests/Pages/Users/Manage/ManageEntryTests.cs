using System.Net;
using System.Text.Json;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users.Manage;

/// <summary>Changing an entry in a manage session: its username, its address, and downloading its data, on every engine.</summary>
public abstract class ManageEntryTests<TEngine>(MailedApp<TEngine> app) : IClassFixture<MailedApp<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task A_rename_shows_in_the_listing_search_and_details_at_once()
    {
        var (_, email) = await app.ListedAsync();
        var client = await app.OpenSessionAsync(email);
        var newName = SignupClient.UniqueName("renamed");

        var renamed = await client.SubmitAsync(await client.EntryPageAsync(), "#rename", new() { ["Rename.Username"] = $" {newName} " });

        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Equal("/users/manage/entry", renamed.Headers.Location?.OriginalString);
        var entry = await client.EntryPageAsync();
        Assert.Equal($"Your username is now {newName}.", entry.Text(".flash"));
        Assert.Equal(newName, entry.Text("#current-username"));
        var stored = await app.Db.FindUserAsync(newName);
        Assert.NotNull(stored);
        Assert.Equal(2, await app.Db.ScalarAsync<int>($"SELECT row_version FROM users WHERE id = {stored.Id}"));
        Assert.Equal(newName, (await HtmlPage.GetAsync(app.CreateClient(), "/users")).Texts(".user-list .username")[0]);
        Assert.Equal([newName], (await HtmlPage.GetAsync(app.CreateClient(), $"/users?q={newName}")).Texts(".user-list .username"));
        Assert.Equal(newName, (await HtmlPage.GetAsync(app.CreateClient(), $"/users/{stored.Id}")).Text("h1"));
    }

    [Fact]
    public async Task A_name_taken_by_an_entry_or_held_by_a_pending_signup_answers_409_beside_the_field()
    {
        var (other, _) = await app.ListedAsync();
        var held = SignupClient.UniqueName("held");
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().SignUpAsync(held, $"{held}@example.com")).StatusCode);
        var (username, email) = await app.ListedAsync();
        var client = await app.OpenSessionAsync(email);

        foreach (var taken in new[] { other.ToUpperInvariant(), held })
        {
            var page = await HtmlPage.ParseAsync(await client.SubmitAsync(await client.EntryPageAsync(), "#rename", new() { ["Rename.Username"] = taken }));

            Assert.Equal(HttpStatusCode.Conflict, page.Status);
            Assert.Equal("That username is taken. Try another one.", page.Text("#username-error"));
            Assert.Equal(taken, page.FormValues("#rename")["Rename.Username"]);
        }

        Assert.NotNull(await app.Db.FindUserAsync(username));
        var invalid = await HtmlPage.ParseAsync(await client.SubmitAsync(await client.EntryPageAsync(), "#rename", new() { ["Rename.Username"] = "ab" }));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal("A username is 3 to 40 characters long.", invalid.Text("#username-error"));
    }

    [Fact]
    public async Task An_email_change_moves_the_entry_once_the_new_address_confirms_and_the_old_one_gets_a_notice()
    {
        var (username, email) = await app.ListedAsync();
        var client = await app.OpenSessionAsync(email);
        var newEmail = $"{SignupClient.UniqueName("moved")}@example.com";

        var asked = await client.SubmitAsync(await client.EntryPageAsync(), "#email", new() { ["EmailChange.Email"] = newEmail.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal("/users/manage/entry", asked.Headers.Location?.OriginalString);
        Assert.StartsWith($"We sent a link to {newEmail}.", (await client.EntryPageAsync()).Text(".flash"), StringComparison.Ordinal);
        Assert.Contains("m***@example.com", (await app.MailToAsync(email, EntryMail.EmailChangeNoticeSubject)).TextBody, StringComparison.Ordinal);
        var link = MailLinks.LinkIn(await app.MailToAsync(newEmail, EntryMail.ConfirmNewEmailSubject));
        Assert.Equal(email, (await app.Db.FindUserAsync(username))!.Email);

        var confirmer = app.CreateClient();
        var button = await HtmlPage.GetAsync(confirmer, link);
        Assert.Equal(HttpStatusCode.OK, button.Status);
        Assert.Equal("no-referrer", ResponseAssert.Header(button.Response, "Referrer-Policy"));
        Assert.Equal("/users/manage/confirm-email", button.Document.QuerySelector("form[method=post]")!.GetAttribute("action"));
        Assert.Equal(email, (await app.Db.FindUserAsync(username))!.Email);
        var moved = await confirmer.SubmitAsync(button, "form[method=post]");

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal("/users", moved.Headers.Location?.OriginalString);
        Assert.Equal(newEmail, (await app.Db.FindUserAsync(username))!.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await confirmer.SubmitAsync(button, "form[method=post]")).StatusCode);
    }

    [Fact]
    public async Task A_move_to_an_address_that_has_an_entry_answers_the_same_and_mails_that_address_a_notice_instead()
    {
        var (_, taken) = await app.ListedAsync();
        var (username, email) = await app.ListedAsync();
        var client = await app.OpenSessionAsync(email);
        var free = $"{SignupClient.UniqueName("free")}@example.com";

        var toTaken = await client.SubmitAsync(await client.EntryPageAsync(), "#email", new() { ["EmailChange.Email"] = taken });
        var takenNotice = (await client.EntryPageAsync()).Text(".flash");
        var toFree = await client.SubmitAsync(await client.EntryPageAsync(), "#email", new() { ["EmailChange.Email"] = free });

        Assert.Equal(toFree.StatusCode, toTaken.StatusCode);
        Assert.Equal(toFree.Headers.Location, toTaken.Headers.Location);
        Assert.Equal((await client.EntryPageAsync()).Text(".flash"), takenNotice!.Replace(taken, free, StringComparison.Ordinal));
        await app.MailToAsync(taken, EntryMail.AddressHasEntrySubject);
        await app.NthMailToAsync(email, EntryMail.EmailChangeNoticeSubject, 2);
        await app.MailToAsync(free, EntryMail.ConfirmNewEmailSubject);
        Assert.DoesNotContain(app.Smtp.Received, m => m.Subject == EntryMail.ConfirmNewEmailSubject && m.To.Mailboxes.Any(to => to.Address == taken));
        Assert.Equal(email, (await app.Db.FindUserAsync(username))!.Email);
    }

    [Fact]
    public async Task Download_is_a_JSON_attachment_of_every_stored_field()
    {
        var (username, email) = await app.ListedAsync();
        var client = await app.OpenSessionAsync(email);
        var newEmail = $"{SignupClient.UniqueName("next")}@example.com";
        await client.SubmitAsync(await client.EntryPageAsync(), "#email", new() { ["EmailChange.Email"] = newEmail });
        var stored = (await app.Db.FindUserAsync(username))!;
        var rowVersion = await app.Db.ScalarAsync<int>($"SELECT row_version FROM users WHERE id = {stored.Id}");

        var download = await client.SubmitAsync(await client.EntryPageAsync(), "#download");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"userpages-entry-{stored.Id}.json", download.Content.Headers.ContentDisposition?.FileName);
        using var json = JsonDocument.Parse(await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(stored.Id, root.GetProperty("id").GetInt64());
        Assert.Equal(username, root.GetProperty("username").GetString());
        Assert.Equal(email, root.GetProperty("email").GetString());
        Assert.Equal(stored.CreatedAt, root.GetProperty("created_at").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.NotNull(root.GetProperty("confirmed_at").GetString());
        Assert.Equal(rowVersion, root.GetProperty("row_version").GetInt32());
        Assert.Equal(newEmail, Assert.Single(root.GetProperty("pending_email_changes").EnumerateArray()).GetProperty("new_email").GetString());
        var subjects = root.GetProperty("mail_to_you").EnumerateArray().Select(m => m.GetProperty("subject").GetString()).ToList();
        Assert.Equal([EntryMail.ConfirmSignupSubject, EntryMail.ManageSubject, EntryMail.EmailChangeNoticeSubject], subjects);
        Assert.DoesNotContain("token_hash", json.RootElement.GetRawText(), StringComparison.Ordinal);
        var opened = await client.GetAsync(new Uri("/users/manage/download", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/users/manage/entry", opened.Headers.Location?.OriginalString);
    }
}

public sealed class ManageEntryTestsOnSqlite(MailedApp<SqliteEngine> app) : ManageEntryTests<SqliteEngine>(app);

public sealed class ManageEntryTestsOnPostgres(MailedApp<PostgresEngine> app) : ManageEntryTests<PostgresEngine>(app);

public sealed class ManageEntryTestsOnMySql(MailedApp<MySqlEngine> app) : ManageEntryTests<MySqlEngine>(app);
