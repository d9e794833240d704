using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>
/// Two app instances on one database, as behind a load balancer that does not pin sessions: the antiforgery token and
/// the flash cookie one instance issues are accepted by the other, because both read the key ring from the database.
/// </summary>
public abstract class TwoInstancesTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task A_form_served_by_one_instance_posts_to_the_other_and_the_flash_survives_the_hop()
    {
        await using var other = app.StartAnotherInstance();
        var cookies = new System.Net.CookieContainer();
        var first = app.Factory.CreateDefaultClient(new CookieContainerHandler(cookies));
        var second = other.CreateDefaultClient(new CookieContainerHandler(cookies));
        var name = SignupClient.UniqueName("hop");

        var form = await first.GetSignupFormAsync();
        var posted = await second.PostSignupAsync(form, name, $"{name}@example.com");

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var listedByFirst = await HtmlPage.GetAsync(first, "/users");
        Assert.Contains(name, listedByFirst.Text(".flash"), StringComparison.Ordinal);
        Assert.Contains(name, listedByFirst.Texts(".user-list .username"));
        Assert.Contains(name, (await HtmlPage.GetAsync(second, "/users")).Texts(".user-list .username"));

        // One key, in the database: the second instance found the first one's key there instead of making its own.
        Assert.Equal(1, await app.Db.ScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
    }
}

public sealed class TwoInstancesTestsOnSqlite(AppFixture<SqliteEngine> app) : TwoInstancesTests<SqliteEngine>(app);

public sealed class TwoInstancesTestsOnPostgres(AppFixture<PostgresEngine> app) : TwoInstancesTests<PostgresEngine>(app);

public sealed class TwoInstancesTestsOnMySql(AppFixture<MySqlEngine> app) : TwoInstancesTests<MySqlEngine>(app);
