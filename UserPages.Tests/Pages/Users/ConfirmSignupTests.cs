using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// A signup proves its address before it is listed: the real SMTP server receives the confirmation mail, and the test
/// follows its link over HTTP, on every engine.
/// </summary>
public abstract class ConfirmSignupTests<TEngine>(MailedApp<TEngine> app) : IClassFixture<MailedApp<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task A_signup_is_listed_only_once_its_link_is_confirmed_and_the_link_then_works_no_more()
    {
        using var events = new MetricCollector<long>(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", "userpages.entries.events");
        using var pendingCount = new MetricCollector<long>(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", "userpages.signups.pending");
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("Grace");
        var email = $"{name.ToLowerInvariant()}@example.com";

        var signup = await client.SignUpAsync(name, email);

        Assert.Equal(HttpStatusCode.Redirect, signup.StatusCode);
        Assert.Equal("/users/check-inbox", signup.Headers.Location?.OriginalString);
        var inbox = await HtmlPage.GetAsync(client, "/users/check-inbox");
        Assert.Equal("Check your inbox", inbox.Text("h1"));
        Assert.Null(inbox.Document.QuerySelector(".dev-note"));
        await AssertNotListedAsync(client, name);

        var link = MailLinks.LinkIn(await app.MailToAsync(email, EntryMail.ConfirmSignupSubject));
        Assert.StartsWith("/users/confirm?token=", link, StringComparison.Ordinal);

        // Mail scanners open links: a GET, however often, only shows the button.
        for (var i = 0; i < 2; i++)
        {
            var page = await HtmlPage.GetAsync(client, link);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("Confirm", page.Text("main form button"));
            Assert.Contains(name, page.Text("main .lead"), StringComparison.Ordinal);
            Assert.Equal("no-referrer", page.Response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("/users/confirm", page.Document.QuerySelector("main form")!.GetAttribute("action"));
        }

        await AssertNotListedAsync(client, name);
        var confirmed = await client.FollowAndPressAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/users", confirmed.Headers.Location?.OriginalString);
        var listing = await HtmlPage.GetAsync(client, "/users");
        Assert.Contains($"Welcome, {name}!", listing.Text(".flash"), StringComparison.Ordinal);
        Assert.Equal(name, listing.Texts(".user-list .username")[0]);
        var stored = await app.Db.FindUserAsync(name);
        Assert.NotNull(stored);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/users/{stored.Id}", UriKind.Relative))).StatusCode);
        Assert.Equal(name, Assert.Single((await HtmlPage.GetAsync(client, $"/users?q={name}")).Texts(".user-list .username")));
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));
        Assert.Single(pendingCount.GetMeasurementSnapshot());
        Assert.Single(events.GetMeasurementSnapshot(), m => Equals(m.Tags["event"], "confirmed"));

        var used = await HtmlPage.GetAsync(client, link);
        Assert.Equal(HttpStatusCode.NotFound, used.Status);
        Assert.Equal("This link does not work", used.Text("main h1"));
        Assert.Equal("Sign up again", used.Text("main a.button"));
    }

    [Fact]
    public async Task A_taken_email_gets_the_same_answer_as_a_new_one_and_its_owner_a_notice_with_a_manage_link()
    {
        var client = app.CreateClient();
        var owner = SignupClient.UniqueName("owner");
        var ownerEmail = $"{owner}@example.com";
        await client.FollowAndPressAsync(MailLinks.LinkIn(await SignUpAndReadMailAsync(client, owner, ownerEmail)));
        var usersBefore = await app.Db.CountUsersAsync();

        var fresh = SignupClient.UniqueName("fresh");
        var forNew = await client.SignUpAsync(fresh, $"{fresh}@example.com");
        var newPage = await client.GetStringAsync(new Uri("/users/check-inbox", UriKind.Relative));
        var intruder = SignupClient.UniqueName("intruder");
        var forTaken = await client.SignUpAsync(intruder, ownerEmail);
        var takenPage = await client.GetStringAsync(new Uri("/users/check-inbox", UriKind.Relative));

        Assert.Equal(forNew.StatusCode, forTaken.StatusCode);
        Assert.Equal(forNew.Headers.Location, forTaken.Headers.Location);
        Assert.Equal(newPage, takenPage);
        Assert.Equal(usersBefore, await app.Db.CountUsersAsync());
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{intruder}'"));
        var notice = await app.MailToAsync(ownerEmail, EntryMail.AddressHasEntrySubject);
        Assert.StartsWith("/users/manage/open?token=", MailLinks.LinkIn(notice), StringComparison.Ordinal);
        Assert.DoesNotContain(intruder, notice.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_address_signing_up_again_gets_the_same_answer_and_a_fresh_link_that_replaces_the_first()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("again");
        var email = $"{name}@example.com";
        var first = MailLinks.LinkIn(await SignUpAndReadMailAsync(client, name, email));

        var other = SignupClient.UniqueName("other");
        var again = await client.SignUpAsync(other, email);

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/users/check-inbox", again.Headers.Location?.OriginalString);
        var mails = await app.Smtp.UntilAsync(m => m.Count(x => x.Subject == EntryMail.ConfirmSignupSubject && x.To.Mailboxes.Any(to => to.Address == email)) == 2, "a second confirmation");
        var second = MailLinks.LinkIn(mails.Last(m => m.Subject == EntryMail.ConfirmSignupSubject && m.To.Mailboxes.Any(to => to.Address == email)));
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(first, UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.FollowAndPressAsync(second)).StatusCode);
        Assert.NotNull(await app.Db.FindUserAsync(name));
        Assert.Null(await app.Db.FindUserAsync(other));
    }

    [Fact]
    public async Task A_username_held_by_a_pending_or_listed_entry_is_409_beside_the_field_in_any_letter_case()
    {
        var client = app.CreateClient();
        var pending = SignupClient.UniqueName("Held");
        await SignUpAndReadMailAsync(client, pending, $"{pending}@example.com");

        var page = await HtmlPage.ParseAsync(await client.SignUpAsync(pending.ToUpperInvariant(), $"{pending}-2@example.com"));

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.StartsWith("That username is taken.", page.Text("#username-error"), StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("#email-error"));
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE email LIKE '{pending.ToLowerInvariant()}%'"));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("wrong-purpose")]
    [InlineData("malformed")]
    [InlineData("missing")]
    public async Task A_link_that_is_not_a_confirmation_link_of_ours_is_a_404_page_on_GET_and_POST_and_changes_nothing(string kind)
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("tamper");
        var token = MailLinks.TokenIn(await SignUpAndReadMailAsync(client, name, $"{name}@example.com"));
        var bad = kind switch
        {
            // One character changed: still well-formed, no longer ours.
            "tampered" => (token[0] == 'A' ? "B" : "A") + token[1..],
            // A token of the right shape for another purpose hashes to another value, so it matches nothing here.
            "wrong-purpose" => UserPages.Data.OneTimeToken.New(UserPages.Data.TokenPurpose.Manage).Value,
            "malformed" => token + "!",
            _ => "",
        };
        var form = (await HtmlPage.GetAsync(client, $"/users/confirm?token={token}")).FormValues("main form[method=post]");

        var get = await HtmlPage.GetAsync(client, $"/users/confirm?token={Uri.EscapeDataString(bad)}");
        var post = await client.PostAsync(new Uri("/users/confirm", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["token"] = bad }));

        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Equal("This link does not work", get.Text("main h1"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Null(await app.Db.FindUserAsync(name));
        Assert.Equal(HttpStatusCode.Redirect, (await client.FollowAndPressAsync($"/users/confirm?token={token}")).StatusCode);
    }

    [Fact]
    public async Task Sign_up_on_one_instance_confirm_on_another_and_the_first_lists_the_person_at_once()
    {
        await using var other = app.StartAnotherInstance();
        var onA = app.CreateClient();
        var onB = other.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var name = SignupClient.UniqueName("twice");
        Assert.DoesNotContain(name, (await HtmlPage.GetAsync(onA, "/users")).Texts(".user-list .username"));
        var link = MailLinks.LinkIn(await SignUpAndReadMailAsync(onA, name, $"{name}@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, (await onB.FollowAndPressAsync(link)).StatusCode);

        Assert.Equal(name, (await HtmlPage.GetAsync(onA, "/users")).Texts(".user-list .username")[0]);
    }

    private async Task<MimeKit.MimeMessage> SignUpAndReadMailAsync(HttpClient client, string name, string email)
    {
        var signup = await client.SignUpAsync(name, email);
        Assert.Equal("/users/check-inbox", signup.Headers.Location?.OriginalString);
        return await app.MailToAsync(email.ToLowerInvariant(), EntryMail.ConfirmSignupSubject);
    }

    private async Task AssertNotListedAsync(HttpClient client, string name)
    {
        Assert.DoesNotContain(name, (await HtmlPage.GetAsync(client, "/users")).Texts(".user-list .username"));
        var search = await HtmlPage.GetAsync(client, $"/users?q={name}");
        Assert.Empty(search.Texts(".user-list .username"));
        Assert.Null(await app.Db.FindUserAsync(name));
    }
}

public sealed class ConfirmSignupTestsOnSqlite(MailedApp<SqliteEngine> app) : ConfirmSignupTests<SqliteEngine>(app);

public sealed class ConfirmSignupTestsOnPostgres(MailedApp<PostgresEngine> app) : ConfirmSignupTests<PostgresEngine>(app);

public sealed class ConfirmSignupTestsOnMySql(MailedApp<MySqlEngine> app) : ConfirmSignupTests<MySqlEngine>(app);
