using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// A pending signup under a controlled clock: its link works until the pending lifetime ends, then answers 410; the
/// sweep (run here by hand, on either instance) removes it once, and its username and email are free again.
/// </summary>
public abstract class PendingExpiryTests<TEngine>(PendingExpiryTests<TEngine>.Fixture app) : IClassFixture<PendingExpiryTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task An_unconfirmed_signup_expires_after_its_lifetime_and_the_sweep_frees_its_name_and_address_once()
    {
        using var expired = new MetricCollector<long>(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", "userpages.entries.events");
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("late");
        var email = $"{name}@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, email)).StatusCode);
        var link = MailLinks.LinkIn(await app.MailToAsync(email, EntryMail.ConfirmSignupSubject));

        app.Clock.Advance(Lifetime - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await HtmlPage.GetAsync(client, link)).Status);
        var form = (await HtmlPage.GetAsync(client, link)).FormValues("main form[method=post]");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var page = await HtmlPage.GetAsync(client, link);
        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Equal("This link has expired", page.Text("main h1"));
        Assert.Equal(HttpStatusCode.Gone, (await client.PostAsync(new Uri("/users/confirm", UriKind.Relative), new FormUrlEncodedContent(form))).StatusCode);
        Assert.Null(await app.Db.FindUserAsync(name));

        await using var other = app.StartAnotherInstance();
        var swept = await app.Factory.Services.GetRequiredService<ExpiredEntrySweeper>().SweepAsync(TestContext.Current.CancellationToken);
        var sweptAgain = await other.Services.GetRequiredService<ExpiredEntrySweeper>().SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, swept);
        Assert.Equal(0, sweptAgain);
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(link, UriKind.Relative))).StatusCode);
        Assert.Contains(expired.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["event"], "expired"));

        // Both are free: the same username and address sign up again and get a new link.
        var again = await client.SignUpAsync(name, email);
        Assert.Equal("/users/check-inbox", again.Headers.Location?.OriginalString);
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}' AND email = '{email}'"));
    }

    [Fact]
    public async Task The_background_sweep_removes_an_expired_signup_by_itself()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("swept");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        await app.MailToAsync($"{name}@example.com", EntryMail.ConfirmSignupSubject);
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));

        app.Clock.Advance(TimeSpan.FromDays(1));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sweep did not remove the expired signup within 30 s of the clock passing its interval.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    // The fixture's, short enough that the sweep (a day apart) never runs by itself during the first test.
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    /// <summary>The app on a clock the test moves; the sweep a day apart, so only when the test moves it that far.</summary>
    public sealed class Fixture(TestServers servers) : ClockedMailedApp<TEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["Signup:PendingLifetime"] = "02:00:00",
            ["Signup:SweepInterval"] = "1.00:00:00",
        };
    }
}

public sealed class PendingExpiryTestsOnSqlite(PendingExpiryTests<SqliteEngine>.Fixture app) : PendingExpiryTests<SqliteEngine>(app);

public sealed class PendingExpiryTestsOnPostgres(PendingExpiryTests<PostgresEngine>.Fixture app) : PendingExpiryTests<PostgresEngine>(app);

public sealed class PendingExpiryTestsOnMySql(PendingExpiryTests<MySqlEngine>.Fixture app) : PendingExpiryTests<MySqlEngine>(app);
