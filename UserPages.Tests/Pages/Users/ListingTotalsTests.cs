using System.Net;
using Dapper;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The listing's totals and search over more users than a search counts: the total the database maintains beside the
/// table, the capped match count, and the search index, all kept current by the writes themselves.
/// </summary>
public abstract class ListingTotalsTests(AppFixture app)
{
    // More matches for "crowd" than a search counts, and more than the repository lists straight from the search
    // index's candidates, so a common term takes the other path (the rows next to the cursor).
    public const int Seeded = 6000;

    private const int IndexModelLimit = UserPages.Pages.Users.ListingModel.MatchCountLimit;

    /// <summary>Seeds crowd0000 to crowd5999 before the app starts.</summary>
    public sealed class Fixture<TEngine> : AppFixture<TEngine>
        where TEngine : ITestEngine
    {
        protected override async Task OnMigratedAsync()
        {
            await using var unit = await Db.Database.BeginWriteAsync(default);
            var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            foreach (var batch in Enumerable.Range(0, Seeded).Chunk(200))
            {
                var users = batch.Select(i => new ImportedUser($"crowd{i:0000}", $"c{i:0000}@example.com", start.AddMinutes(i))).ToList();
                await Db.Users.ImportAsync(unit, users, default);
            }

            await unit.CommitAsync(default);
        }
    }

    [SkippableFact]
    public async Task Total_matches_a_real_count_after_seeding_and_after_a_signup()
    {
        var client = app.CreateClient();
        Assert.Equal($"{await CountRowsAsync():N0} users have signed up.", (await HtmlPage.GetAsync(client, "/users")).Text("#user-count"));

        var name = SignupClient.UniqueName("Newcomer");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);

        Assert.Equal($"{await CountRowsAsync():N0} users have signed up.", (await HtmlPage.GetAsync(client, "/users")).Text("#user-count"));
    }

    [SkippableFact]
    public async Task Search_with_more_matches_than_it_counts_says_more_than_and_still_pages()
    {
        var client = app.CreateClient();
        var page = await HtmlPage.GetAsync(client, "/users?q=CROWD");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"More than {IndexModelLimit:N0} users match.", page.Text("#user-count"));
        Assert.Equal(Enumerable.Range(5950, 50).Reverse().Select(i => $"crowd{i:0000}"), page.Texts(".user-list .username"));

        var older = await HtmlPage.GetAsync(client, page.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(Enumerable.Range(5900, 50).Reverse().Select(i => $"crowd{i:0000}"), older.Texts(".user-list .username"));
    }

    [SkippableFact]
    public async Task Search_below_the_limit_counts_exactly()
    {
        // Letters outside hex, so the other tests' signups (names ending in hex digits) cannot match too.
        var page = await HtmlPage.GetAsync(app.CreateClient(), "/users?q=ROWD599");

        Assert.Equal("10 users match.", page.Text("#user-count"));
        Assert.Equal(Enumerable.Range(5990, 10).Reverse().Select(i => $"crowd{i:0000}"), page.Texts(".user-list .username"));
    }

    [SkippableFact]
    public async Task A_new_signup_is_found_by_search_at_once()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("Findme");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);

        var page = await HtmlPage.GetAsync(client, $"/users?q={name[3..].ToUpperInvariant()}");

        Assert.Equal([name], page.Texts(".user-list .username"));
    }

    private async Task<long> CountRowsAsync()
    {
        await using var unit = await app.Db.Database.BeginReadAsync(default);
        return await unit.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users", transaction: unit.Transaction);
    }
}

public sealed class ListingTotalsTestsOnSqlite(ListingTotalsTests.Fixture<SqliteEngine> app) : ListingTotalsTests(app), IClassFixture<ListingTotalsTests.Fixture<SqliteEngine>>;

public sealed class ListingTotalsTestsOnPostgres(ListingTotalsTests.Fixture<PostgresEngine> app) : ListingTotalsTests(app), IClassFixture<ListingTotalsTests.Fixture<PostgresEngine>>;

public sealed class ListingTotalsTestsOnMySql(ListingTotalsTests.Fixture<MySqlEngine> app) : ListingTotalsTests(app), IClassFixture<ListingTotalsTests.Fixture<MySqlEngine>>;
