using System.Net;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users.Manage;

/// <summary>Asking for a manage link, and the link itself: read from real mail, followed over HTTP, on every engine.</summary>
public abstract class ManageLinkTests<TEngine>(MailedApp<TEngine> app) : IClassFixture<MailedApp<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task A_mailed_link_shows_a_button_without_using_the_token_and_its_post_opens_the_session()
    {
        var (username, email) = await app.ListedAsync();
        var client = app.CreateClient();

        var asked = await client.AskForManageLinkAsync($"  {email.ToUpperInvariant()} ");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal("/users/manage/sent", asked.Headers.Location?.OriginalString);
        var link = MailLinks.LinkIn(await app.MailToAsync(email, EntryMail.ManageSubject));
        Assert.StartsWith("/users/manage/open?token=", link, StringComparison.Ordinal);

        var button = await HtmlPage.GetAsync(client, link);
        var bystander = app.CreateClient();
        var again = await HtmlPage.GetAsync(bystander, link);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("no-referrer", ResponseAssert.Header(button.Response, "Referrer-Policy"));
        Assert.Equal("Manage my entry", button.Text("form[method=post] button"));
        Assert.Equal("/users/manage/open", button.Document.QuerySelector("form[method=post]")!.GetAttribute("action"));
        Assert.Equal(MailLinks.TokenIn(await app.MailToAsync(email, EntryMail.ManageSubject)), button.FormValues()["token"]);
        Assert.Equal(HttpStatusCode.Redirect, (await client.EntryPageAsync()).Status);

        var opened = await client.SubmitAsync(button, "form[method=post]");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/users/manage/entry", opened.Headers.Location?.OriginalString);
        Assert.Equal("no-referrer", ResponseAssert.Header(opened, "Referrer-Policy"));
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"), c => c.StartsWith("UserPages.Manage=", StringComparison.Ordinal));
        ResponseAssert.SessionCookie(cookie, secure: false);
        Assert.Contains("path=/users", cookie, StringComparison.OrdinalIgnoreCase);
        var expires = DateTime.Parse(cookie.Split("expires=")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.InRange(expires, DateTime.UtcNow.AddMinutes(29), DateTime.UtcNow.AddMinutes(31));

        var entry = await client.EntryPageAsync();
        Assert.Equal(HttpStatusCode.OK, entry.Status);
        Assert.Equal(username, entry.Text("#current-username"));
        Assert.Equal(email, entry.Text("#current-email"));
        // No sliding: using the session does not extend it.
        Assert.False(entry.Response.Headers.Contains("Set-Cookie") && entry.Response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("UserPages.Manage=", StringComparison.Ordinal)));

        var reused = await HtmlPage.ParseAsync(await bystander.SubmitAsync(again, "form[method=post]"));
        Assert.Equal(HttpStatusCode.NotFound, reused.Status);
        Assert.Equal("This link does not work", reused.Text("h1"));
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_as_a_listed_one_and_no_mail()
    {
        var (_, email) = await app.ListedAsync();
        var unknown = $"{SignupClient.UniqueName("nobody")}@example.com";

        var forUnknown = await app.CreateClient().AskForManageLinkAsync(unknown);
        var forKnown = await app.CreateClient().AskForManageLinkAsync(email);

        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(forKnown.Headers.Location, forUnknown.Headers.Location);
        var knownPage = await HtmlPage.GetAsync(app.CreateClient(), forKnown.Headers.Location!.OriginalString);
        Assert.Equal("Check your inbox", knownPage.Text("h1"));
        Assert.Equal(knownPage.Text("main"), (await HtmlPage.GetAsync(app.CreateClient(), forUnknown.Headers.Location!.OriginalString)).Text("main"));

        // The outbox sends in order: once the later mail arrived, any mail for the earlier request would have too.
        await app.MailToAsync(email, EntryMail.ManageSubject);
        Assert.DoesNotContain(app.Smtp.Received, m => m.To.Mailboxes.Any(to => to.Address == unknown));
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{unknown}'"));
    }

    [Fact]
    public async Task An_invalid_address_answers_400_with_the_message_beside_the_field()
    {
        var page = await HtmlPage.ParseAsync(await app.CreateClient().AskForManageLinkAsync("not-an-email"));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("true", page.Document.GetElementById("Input_Email")!.GetAttribute("aria-invalid"));
        Assert.Equal("Enter an email address like name@example.com.", page.Text("#email-error"));
    }

    [Fact]
    public async Task Tampered_wrong_purpose_and_expired_links_are_refused_with_a_4xx()
    {
        var (_, email) = await app.ListedAsync();
        var client = app.CreateClient();
        await client.AskForManageLinkAsync(email);
        var token = MailLinks.TokenIn(await app.MailToAsync(email, EntryMail.ManageSubject));
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];

        Assert.Equal(HttpStatusCode.NotFound, (await HtmlPage.GetAsync(client, $"/users/manage/open?token={tampered}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await HtmlPage.GetAsync(client, $"/users/manage/open?token={token[..20]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await HtmlPage.GetAsync(client, $"/users/manage/confirm-email?token={token}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await HtmlPage.GetAsync(client, $"/users/confirm?token={token}")).Status);

        var button = await HtmlPage.GetAsync(client, $"/users/manage/open?token={token}");
        Assert.Equal(HttpStatusCode.OK, button.Status);
        await using (var unit = await app.Db.Database.BeginWriteAsync(TestContext.Current.CancellationToken))
        {
            await Dapper.SqlMapper.ExecuteAsync(unit.Connection, "UPDATE entry_tokens SET expires_at = @Past", new { Past = UserPages.Data.DatabaseTime.From(DateTime.UtcNow.AddMinutes(-1)) }, unit.Transaction);
            await unit.CommitAsync(TestContext.Current.CancellationToken);
        }

        var expired = await HtmlPage.GetAsync(client, $"/users/manage/open?token={token}");
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Equal("This link has expired", expired.Text("h1"));
        var posted = await client.SubmitAsync(button, "form[method=post]");
        Assert.Equal(HttpStatusCode.Gone, posted.StatusCode);
        Assert.DoesNotContain(posted.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(c => c.StartsWith("UserPages.Manage=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.EntryPageAsync()).Status);
    }

    [Fact]
    public async Task Without_a_session_the_manage_pages_send_the_person_to_ask_for_a_link()
    {
        var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/users/manage/delete", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users/manage", response.Headers.Location?.OriginalString);
        var page = await HtmlPage.GetAsync(client, "/users/manage");
        Assert.StartsWith("Your manage session has ended", page.Text(".flash"), StringComparison.Ordinal);
        Assert.Null((await HtmlPage.GetAsync(client, "/users/manage")).Text(".flash"));
    }

    [Fact]
    public async Task A_form_sent_after_its_session_ended_is_sent_to_ask_for_a_link_not_refused_as_forged()
    {
        var (_, email) = await app.ListedAsync();
        var client = await app.OpenSessionAsync(email);
        var entry = await client.EntryPageAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(entry, "#sign-out")).StatusCode);

        var stale = await client.SubmitAsync(entry, "#rename", new() { ["Rename.Username"] = SignupClient.UniqueName("late") });

        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal("/users/manage", stale.Headers.Location?.OriginalString);
        Assert.StartsWith("Your manage session has ended", (await HtmlPage.GetAsync(client, "/users/manage")).Text(".flash"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signup_form_and_the_listing_link_to_the_manage_page()
    {
        foreach (var url in new[] { "/users/new", "/users" })
        {
            var page = await HtmlPage.GetAsync(app.CreateClient(), url);
            Assert.Contains(page.Document.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/users/manage" && a.TextContent == "Manage my entry");
        }
    }
}

public sealed class ManageLinkTestsOnSqlite(MailedApp<SqliteEngine> app) : ManageLinkTests<SqliteEngine>(app);

public sealed class ManageLinkTestsOnPostgres(MailedApp<PostgresEngine> app) : ManageLinkTests<PostgresEngine>(app);

public sealed class ManageLinkTestsOnMySql(MailedApp<MySqlEngine> app) : ManageLinkTests<MySqlEngine>(app);
