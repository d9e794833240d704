using System.Net;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users.Manage;

/// <summary>Deleting an entry, and two sessions on one entry getting in each other's way, on every engine.</summary>
public abstract class ManageDeleteTests<TEngine>(MailedApp<TEngine> app) : IClassFixture<MailedApp<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task A_deleted_entry_is_gone_everywhere_at_once_with_its_mail_withdrawn_but_the_goodbye()
    {
        var (username, email) = await app.ListedAsync();
        await using var other = app.StartAnotherInstance();
        var otherClient = other.CreateClient(new() { AllowAutoRedirect = false });
        var id = (await app.Db.FindUserAsync(username))!.Id;
        Assert.Contains(username, (await HtmlPage.GetAsync(otherClient, "/users")).Texts(".user-list .username"));
        var totalBefore = Total(await HtmlPage.GetAsync(otherClient, "/users"));
        var client = await app.OpenSessionAsync(email);
        await client.SubmitAsync(await client.EntryPageAsync(), "#email", new() { ["EmailChange.Email"] = $"{username}-next@example.com" });

        var question = await HtmlPage.GetAsync(client, "/users/manage/delete");
        Assert.Equal(HttpStatusCode.OK, question.Status);
        Assert.Equal(username, question.Text("#current-username"));
        var deleted = await client.SubmitAsync(question, "form[method=post]");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/users", deleted.Headers.Location?.OriginalString);
        Assert.StartsWith($"Your entry {username} was deleted.", (await HtmlPage.GetAsync(client, "/users")).Text(".flash"), StringComparison.Ordinal);
        foreach (var reader in new[] { app.CreateClient(), otherClient })
        {
            var listing = await HtmlPage.GetAsync(reader, "/users");
            Assert.DoesNotContain(username, listing.Texts(".user-list .username"));
            Assert.Equal(totalBefore - 1, Total(listing));
            Assert.Empty((await HtmlPage.GetAsync(reader, $"/users?q={username}")).Texts(".user-list .username"));
            Assert.Equal(HttpStatusCode.NotFound, (await HtmlPage.GetAsync(reader, $"/users/{id}")).Status);
        }

        Assert.Null(await app.Db.FindUserAsync(username));
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM entry_tokens WHERE user_id = {id}"));
        Assert.Equal([EntryMail.GoodbyeSubject], await app.Db.QueryAsync<string>($"SELECT subject FROM mail_outbox WHERE recipient = '{email}'"));
        await app.MailToAsync(email, EntryMail.GoodbyeSubject);
        Assert.Equal(HttpStatusCode.Redirect, (await client.EntryPageAsync()).Status);

        // Name and address are free again: a new signup with both is a new pending entry, not a 409 or a notice.
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().SignUpAsync(username, email)).StatusCode);
        await app.NthMailToAsync(email, EntryMail.ConfirmSignupSubject, 2);
    }

    [Fact]
    public async Task A_stale_form_from_a_second_session_answers_409_with_the_current_values_beside_the_fields()
    {
        var (username, email) = await app.ListedAsync();
        var first = await app.OpenSessionAsync(email, nth: 1);
        var second = await app.OpenSessionAsync(email, nth: 2);
        var staleEntry = await second.EntryPageAsync();
        var staleDelete = await HtmlPage.GetAsync(second, "/users/manage/delete");
        var firstName = SignupClient.UniqueName("first");
        var secondName = SignupClient.UniqueName("second");
        Assert.Equal(HttpStatusCode.Redirect, (await first.SubmitAsync(await first.EntryPageAsync(), "#rename", new() { ["Rename.Username"] = firstName })).StatusCode);

        var conflict = await HtmlPage.ParseAsync(await second.SubmitAsync(staleEntry, "#rename", new() { ["Rename.Username"] = secondName }));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal($"Now stored: {firstName}", conflict.Text("#username-now"));
        Assert.Equal($"Now stored: {email}", conflict.Text("#email-now"));
        Assert.Equal(secondName, conflict.FormValues("#rename")["Rename.Username"]);
        Assert.Equal("2", conflict.FormValues("#rename")["RowVersion"]);
        Assert.NotNull(await app.Db.FindUserAsync(firstName));
        var deleteConflict = await HtmlPage.ParseAsync(await second.SubmitAsync(staleDelete, "form[method=post]"));
        Assert.Equal(HttpStatusCode.Conflict, deleteConflict.Status);
        Assert.Equal(firstName, deleteConflict.Text("#current-username"));
        Assert.NotNull(await app.Db.FindUserAsync(firstName));

        // Sent again, knowingly over the current values, it is saved.
        Assert.Equal(HttpStatusCode.Redirect, (await second.SubmitAsync(conflict, "#rename")).StatusCode);
        Assert.NotNull(await app.Db.FindUserAsync(secondName));
        Assert.Null(await app.Db.FindUserAsync(username));
    }

    [Fact]
    public async Task Changing_or_deleting_an_entry_another_session_deleted_is_a_friendly_404()
    {
        var (_, email) = await app.ListedAsync();
        var first = await app.OpenSessionAsync(email, nth: 1);
        var second = await app.OpenSessionAsync(email, nth: 2);
        var staleEntry = await second.EntryPageAsync();
        var staleDelete = await HtmlPage.GetAsync(second, "/users/manage/delete");
        Assert.Equal(HttpStatusCode.Redirect, (await first.SubmitAsync(await HtmlPage.GetAsync(first, "/users/manage/delete"), "form[method=post]")).StatusCode);

        var rename = await HtmlPage.ParseAsync(await second.SubmitAsync(staleEntry, "#rename", new() { ["Rename.Username"] = SignupClient.UniqueName("late") }));
        var delete = await HtmlPage.ParseAsync(await second.SubmitAsync(staleDelete, "form[method=post]"));

        foreach (var page in new[] { rename, delete, await second.EntryPageAsync() })
        {
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Equal(UserPages.Pages.Users.Manage.ManageSession.EntryGone, page.Text(".error-page h1 + p"));
        }
    }

    /// <summary>The listing's total, as its count says it (in a tidy database, no one may be "no one").</summary>
    private static long Total(HtmlPage listing) =>
        listing.Text("#user-count") is { } count && count.StartsWith("No one", StringComparison.Ordinal)
            ? 0
            : long.Parse(listing.Text("#user-count")!.Split(' ')[0], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ManageDeleteTestsOnSqlite(MailedApp<SqliteEngine> app) : ManageDeleteTests<SqliteEngine>(app);

public sealed class ManageDeleteTestsOnPostgres(MailedApp<PostgresEngine> app) : ManageDeleteTests<PostgresEngine>(app);

public sealed class ManageDeleteTestsOnMySql(MailedApp<MySqlEngine> app) : ManageDeleteTests<MySqlEngine>(app);
