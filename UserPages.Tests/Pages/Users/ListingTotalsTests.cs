using System.Net;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The listing's totals and search over more users than a search counts: the total the database maintains beside the
/// table, the capped match count, and the search index, all kept current by the writes themselves.
/// </summary>
public abstract class ListingTotalsTests<TEngine>(ListingTotalsTests<TEngine>.Fixture app) : IClassFixture<ListingTotalsTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    // More matches for "crowd" than a search counts, and more than the repository lists straight from the search
    // index's candidates, so a common term takes the other path (the rows next to the cursor).
    public const int Seeded = 6000;

    private const int MatchCountLimit = UserPages.Pages.Users.ListingModel.MatchCountLimit;

    /// <summary>Seeds crowd0000 to crowd5999 before the app starts.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<TEngine>(servers)
    {
        private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        protected override Task OnMigratedAsync() => Db.ImportUsersAsync(Enumerable.Range(0, Seeded)
            .Select(i => new ImportedUser($"crowd{i:0000}", $"c{i:0000}@example.com", Start.AddMinutes(i))));
    }

    [Fact]
    public async Task Total_matches_a_real_count_after_seeding_and_after_a_signup()
    {
        var client = app.CreateClient();
        Assert.Equal($"{await app.Db.CountUsersAsync():N0} users have signed up.", (await HtmlPage.GetAsync(client, "/users")).Text("#user-count"));

        var name = SignupClient.UniqueName("Newcomer");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);

        Assert.Equal($"{await app.Db.CountUsersAsync():N0} users have signed up.", (await HtmlPage.GetAsync(client, "/users")).Text("#user-count"));
    }

    [Fact]
    public async Task Search_with_more_matches_than_it_counts_says_more_than_and_still_pages()
    {
        var client = app.CreateClient();
        var page = await HtmlPage.GetAsync(client, "/users?q=CROWD");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"More than {MatchCountLimit:N0} users match.", page.Text("#user-count"));
        Assert.Equal(Enumerable.Range(5950, 50).Reverse().Select(i => $"crowd{i:0000}"), page.Texts(".user-list .username"));

        var older = await HtmlPage.GetAsync(client, page.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(Enumerable.Range(5900, 50).Reverse().Select(i => $"crowd{i:0000}"), older.Texts(".user-list .username"));
    }

    [Fact]
    public async Task Search_below_the_limit_counts_exactly()
    {
        // Letters outside hex, so the other tests' signups (names ending in hex digits) cannot match too.
        var page = await HtmlPage.GetAsync(app.CreateClient(), "/users?q=ROWD599");

        Assert.Equal("10 users match.", page.Text("#user-count"));
        Assert.Equal(Enumerable.Range(5990, 10).Reverse().Select(i => $"crowd{i:0000}"), page.Texts(".user-list .username"));
    }

    [Fact]
    public async Task Search_over_several_pages_says_more_than_a_page_on_every_page()
    {
        var client = app.CreateClient();
        var first = await HtmlPage.GetAsync(client, "/users?q=ROWD59");
        var second = await HtmlPage.GetAsync(client, first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);

        Assert.Equal($"More than {MatchCountLimit} users match.", first.Text("#user-count"));
        Assert.Equal($"More than {MatchCountLimit} users match.", second.Text("#user-count"));
        Assert.Equal(Enumerable.Range(5900, 100).Reverse().Select(i => $"crowd{i:0000}"), first.Texts(".user-list .username").Concat(second.Texts(".user-list .username")));
    }

    [Fact]
    public async Task A_later_last_page_counts_the_matches_left_exactly()
    {
        // Letters outside hex again; 60 matches, so the second page holds the last 10.
        var joined = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await app.Db.ImportUsersAsync(Enumerable.Range(0, 60).Select(i => new ImportedUser($"lastpg{i:00}", $"lastpg{i:00}@example.com", joined.AddMinutes(i))));
        var client = app.CreateClient();
        var first = await HtmlPage.GetAsync(client, "/users?q=lastpg");
        var olderLink = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;

        var second = await HtmlPage.GetAsync(client, olderLink);
        Assert.Equal($"More than {MatchCountLimit} users match.", second.Text("#user-count"));
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => $"lastpg{i:00}"), second.Texts(".user-list .username"));

        // The first page's users are gone: the same later page now holds every match, and says how many.
        await app.Db.RunScriptAsync("DELETE FROM users WHERE username LIKE 'lastpg%' AND username >= 'lastpg10'");
        var afterDelete = await HtmlPage.GetAsync(client, olderLink);
        Assert.Equal("10 users match.", afterDelete.Text("#user-count"));
        Assert.Equal(second.Texts(".user-list .username"), afterDelete.Texts(".user-list .username"));
    }

    [Fact]
    public async Task A_new_signup_is_found_by_search_at_once()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("Findme");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);

        var page = await HtmlPage.GetAsync(client, $"/users?q={name[3..].ToUpperInvariant()}");

        Assert.Equal([name], page.Texts(".user-list .username"));
    }
}

public sealed class ListingTotalsTestsOnSqlite(ListingTotalsTests<SqliteEngine>.Fixture app) : ListingTotalsTests<SqliteEngine>(app);

public sealed class ListingTotalsTestsOnPostgres(ListingTotalsTests<PostgresEngine>.Fixture app) : ListingTotalsTests<PostgresEngine>(app);

public sealed class ListingTotalsTestsOnMySql(ListingTotalsTests<MySqlEngine>.Fixture app) : ListingTotalsTests<MySqlEngine>(app);
