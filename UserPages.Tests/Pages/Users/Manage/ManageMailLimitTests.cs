using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users.Manage;

/// <summary>Manage links count against the hourly mail limits, whether or not the address has an entry, on every engine.</summary>
public abstract class ManageMailLimitTests<TEngine>(ManageMailLimitTests<TEngine>.Fixture app) : IClassFixture<ManageMailLimitTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task Past_the_limit_an_address_gets_the_generic_429_whether_or_not_it_has_an_entry()
    {
        // The signup's confirmation was this address's first mail of the hour.
        var (_, listed) = await app.ListedAsync();
        var unknown = $"{SignupClient.UniqueName("nobody")}@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().AskForManageLinkAsync(unknown)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().AskForManageLinkAsync(listed)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().AskForManageLinkAsync(unknown)).StatusCode);
        var listedRefused = await HtmlPage.ParseAsync(await app.CreateClient().AskForManageLinkAsync(listed));
        var unknownRefused = await HtmlPage.ParseAsync(await app.CreateClient().AskForManageLinkAsync(unknown));

        foreach (var refused in new[] { listedRefused, unknownRefused })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("3600", ResponseAssert.Header(refused.Response, "Retry-After"));
            Assert.Equal("Too many requests", refused.Text("h1"));
        }

        Assert.Equal(listedRefused.Text("main"), unknownRefused.Text("main"));
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM entry_tokens"));
    }

    /// <summary>The mailed app with the limits on, at two mails an address an hour.</summary>
    public sealed class Fixture(TestServers servers) : MailedApp<TEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["RateLimiting:Enabled"] = "true",
            ["Signup:MailsPerAddress"] = "2",
        };
    }
}

public sealed class ManageMailLimitTestsOnSqlite(ManageMailLimitTests<SqliteEngine>.Fixture app) : ManageMailLimitTests<SqliteEngine>(app);

public sealed class ManageMailLimitTestsOnPostgres(ManageMailLimitTests<PostgresEngine>.Fixture app) : ManageMailLimitTests<PostgresEngine>(app);

public sealed class ManageMailLimitTestsOnMySql(ManageMailLimitTests<MySqlEngine>.Fixture app) : ManageMailLimitTests<MySqlEngine>(app);
