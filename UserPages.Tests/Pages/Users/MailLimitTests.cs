using System.Net;
using Microsoft.AspNetCore.Hosting;
using UserPages.Data;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// Mail is limited per recipient and per client address, across instances (the counts are in the database): past
/// either limit the signup answers the same generic 429, which says neither which limit fired nor whether the address
/// has an entry, and nothing is stored or mailed.
/// </summary>
public abstract class MailLimitTests<TEngine>(MailLimitTests<TEngine>.Fixture app) : IClassFixture<MailLimitTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task An_address_with_an_entry_and_one_without_reach_the_per_address_limit_at_the_same_post_with_the_same_answers()
    {
        var listed = SignupClient.UniqueName("listed");
        await app.Db.ImportUsersAsync([new ImportedUser(listed, $"{listed}@example.com", DateTime.UtcNow)]);
        var unknown = SignupClient.UniqueName("unknown");

        var forListed = await PostFromManyClientsAsync($"{listed}@example.com", "198.51.100");
        var forUnknown = await PostFromManyClientsAsync($"{unknown}@example.com", "203.0.113");

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], forListed.Select(r => r.Status));
        Assert.Equal(forListed.Select(r => r.Status), forUnknown.Select(r => r.Status));
        Assert.Equal(forListed[^1].Text("main"), forUnknown[^1].Text("main"));
        Assert.Equal(ResponseAssert.Header(forListed[^1].Response, "Retry-After"), ResponseAssert.Header(forUnknown[^1].Response, "Retry-After"));
        Assert.Equal("Too many requests", forUnknown[^1].Text("h1"));

        await app.Smtp.UntilAsync(m => m.Count(x => x.To.Mailboxes.Any(to => to.Address == $"{unknown}@example.com")) == Fixture.PerAddress, "three confirmations");
        await app.Smtp.UntilAsync(m => m.Count(x => x.To.Mailboxes.Any(to => to.Address == $"{listed}@example.com")) == Fixture.PerAddress, "three notices");
        Assert.Equal(Fixture.PerAddress, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{listed}@example.com'"));
        Assert.Equal(Fixture.PerAddress, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{unknown}@example.com'"));
    }

    [Fact]
    public async Task One_client_mailing_many_addresses_reaches_the_per_client_limit_and_its_next_signup_stores_nothing()
    {
        var client = app.CreateClient().From("192.0.2.77");
        var statuses = new List<HttpStatusCode>();
        var names = Enumerable.Range(0, Fixture.PerClient + 1).Select(i => SignupClient.UniqueName($"many{i}")).ToList();
        foreach (var name in names)
        {
            statuses.Add((await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Redirect, Fixture.PerClient), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{names[^1]}'"));
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{names[^1]}@example.com'"));

        // Another client is not held back by this one.
        var other = SignupClient.UniqueName("other");
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().From("192.0.2.78").SignUpAsync(other, $"{other}@example.com")).StatusCode);
    }

    // Each post from a client of its own, so only the per-address limit can fire; a new username each time.
    private async Task<List<HtmlPage>> PostFromManyClientsAsync(string email, string network)
    {
        var pages = new List<HtmlPage>();
        for (var i = 0; i <= Fixture.PerAddress; i++)
        {
            var name = SignupClient.UniqueName("try");
            pages.Add(await HtmlPage.ParseAsync(await app.CreateClient().From($"{network}.{10 + i}").SignUpAsync(name, email)));
        }

        return pages;
    }

    /// <summary>The limits on, small: three mails per address and five per client an hour.</summary>
    public sealed class Fixture(TestServers servers) : MailedApp<TEngine>(servers)
    {
        public const int PerAddress = 3;
        public const int PerClient = 5;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:SignupsPerWindow"] = "1000",
            ["Signup:MailsPerAddress"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Signup:MailsPerClient"] = PerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseTestPeerAddress();
    }
}

public sealed class MailLimitTestsOnSqlite(MailLimitTests<SqliteEngine>.Fixture app) : MailLimitTests<SqliteEngine>(app);

public sealed class MailLimitTestsOnPostgres(MailLimitTests<PostgresEngine>.Fixture app) : MailLimitTests<PostgresEngine>(app);

public sealed class MailLimitTestsOnMySql(MailLimitTests<MySqlEngine>.Fixture app) : MailLimitTests<MySqlEngine>(app);
