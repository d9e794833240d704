using System.Globalization;
using System.Net;
using UserPages.Data;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// A search lists in signup order, newest (highest id) first, through each engine's one plan. Whatever join dates the
/// users carry and whatever an operator's SQL changed or deleted, every search page is the one a plain filter over the
/// table in id order gives.
/// </summary>
public abstract class SearchOrderTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    private static readonly string[] Terms = ["hopper", "ada.turing", "lace2", "GRACE", "nobody-here"];

    [Fact]
    public async Task Every_search_page_is_the_filtered_listing_in_id_order_whatever_the_join_dates()
    {
        // Each user joins after the one before, as signups do.
        await app.Db.ImportUsersAsync(SearchUsers.Named("in", 0, 300, minutesApart: 10));
        await AssertEverySearchWalksLikeTheFilterAsync();

        // Imported later with join dates among the older users: listed by when they were added, not by those dates.
        await app.Db.ImportUsersAsync(SearchUsers.Named("mid", 7, 40, minutesApart: 70));
        await AssertEverySearchWalksLikeTheFilterAsync();

        // Join times changed and users deleted by an operator's SQL.
        await app.Db.RunScriptAsync("""
            UPDATE users SET created_at = '2024-06-01 00:00:00' WHERE username LIKE 'in%7.%';
            UPDATE users SET created_at = '2026-06-01 00:00:00' WHERE username LIKE 'in%3.%';
            DELETE FROM users WHERE username LIKE 'in%5.%';
            """);
        await AssertEverySearchWalksLikeTheFilterAsync();

        // Many more, all older by date than everyone before them.
        await app.Db.ImportUsersAsync(SearchUsers.Named("old", -20_000, 1_100, minutesApart: 1));
        await AssertEverySearchWalksLikeTheFilterAsync();

        // Newer users matching none of the terms.
        await app.Db.ImportUsersAsync(Enumerable.Range(0, 5_500).Select(i => new ImportedUser($"zz{i}", $"zz{i}@example.net", DateTime.UtcNow)));
        await AssertEverySearchWalksLikeTheFilterAsync();

        // Newer users holding every trigram of "hopper" but not the term, more than PostgreSQL walks of one trigram
        // (2,000), so the matches are found beyond that walk, in both directions.
        await app.Db.ImportUsersAsync(Enumerable.Range(0, 2_100).Select(i => new ImportedUser($"hoppe.pper{i}", $"hoppe.pper{i}@example.net", DateTime.UtcNow)));
        await AssertEverySearchWalksLikeTheFilterAsync();
    }

    [Fact]
    public async Task A_username_or_email_changed_by_SQL_is_found_by_its_new_text_and_no_longer_by_its_old()
    {
        await app.Db.ImportUsersAsync(SearchUsers.Named("renamed", 0, 30, minutesApart: 1));

        await app.Db.RunScriptAsync("""
            UPDATE users SET username = 'Zebra.Quokka' WHERE username = 'renamed4.alan.turing';
            UPDATE users SET email = 'wombat.quokka@example.org' WHERE username = 'renamed7.alan.lovelace';
            """);

        await AssertEverySearchWalksLikeTheFilterAsync(["quokka", "zebra", "wombat", "renamed4", "renamed7.alan", "lovelace@example.com"]);
    }

    private async Task AssertEverySearchWalksLikeTheFilterAsync(string[]? terms = null)
    {
        var client = app.CreateClient();
        foreach (var term in terms ?? Terms)
        {
            var expected = await SearchUsers.MatchesNewestFirstAsync(app.Db, term);
            var first = await HtmlPage.GetAsync(client, $"/users?q={term}");
            Assert.Equal(expected.Count switch
            {
                0 => $"No users match “{term}”.",
                1 => "1 user matches.",
                > ListingModel.MatchCountLimit => $"More than {ListingModel.MatchCountLimit:N0} users match.",
                _ => $"{expected.Count:N0} users match.",
            }, first.Text("#user-count"));

            var pages = await ListingWalk.OlderToTheEndAndBackAsync(client, $"/users?q={term}");
            Assert.Equal(expected.Select(user => user.Username), pages.SelectMany(names => names));
        }
    }
}

public sealed class SearchOrderTestsOnSqlite(AppFixture<SqliteEngine> app) : SearchOrderTests<SqliteEngine>(app);

public sealed class SearchOrderTestsOnPostgres(AppFixture<PostgresEngine> app) : SearchOrderTests<PostgresEngine>(app);

public sealed class SearchOrderTestsOnMySql(AppFixture<MySqlEngine> app) : SearchOrderTests<MySqlEngine>(app);

/// <summary>
/// A search's "Older" link names a user; when that user's join time changes or the user is deleted before the link is
/// followed, the page still lists exactly the matches older than the link's position. A link of the old
/// <c>ticks_id</c> form lists by its id.
/// </summary>
public sealed class SearchCursorTests(SearchCursorTests.Fixture app) : IClassFixture<SearchCursorTests.Fixture>
{
    /// <summary>300 users, a third of them named "hopper".</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<SqliteEngine>(servers)
    {
        protected override Task OnMigratedAsync() => Db.ImportUsersAsync(SearchUsers.Named("in", 0, 300, minutesApart: 10));
    }

    [Theory]
    [InlineData("UPDATE users SET created_at = '2030-01-01 00:00:00' WHERE id = {0}")]
    [InlineData("UPDATE users SET created_at = '2020-01-01 00:00:00' WHERE id = {0}")]
    [InlineData("DELETE FROM users WHERE id = {0}")]
    public async Task An_older_link_whose_user_moved_or_left_still_lists_the_users_older_than_it(string change)
    {
        var client = app.CreateClient();
        var first = await HtmlPage.GetAsync(client, "/users?q=hopper");
        var older = first.Document.QuerySelector("a[rel=next]")?.GetAttribute("href");
        Assert.NotNull(older);
        Assert.True(ListingCursor.TryParse(QueryValue(older, "before"), out var cursor));

        await app.Db.RunScriptAsync(string.Format(CultureInfo.InvariantCulture, change, cursor.Value.Id));
        var page = await HtmlPage.GetAsync(client, older);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var expected = (await SearchUsers.MatchesNewestFirstAsync(app.Db, "hopper"))
            .Where(user => user.Id < cursor.Value.Id)
            .Take(ListingModel.PageSize).Select(user => user.Username);
        Assert.Equal(expected, page.Texts(".user-list .username"));
    }

    [Fact]
    public async Task A_link_of_the_old_ticks_and_id_form_lists_every_match_older_than_its_id()
    {
        var everyone = await SearchUsers.MatchesNewestFirstAsync(app.Db, "hopper");
        var id = everyone[everyone.Count / 2].Id;

        var page = await HtmlPage.GetAsync(app.CreateClient(), $"/users?q=hopper&before={everyone[0].CreatedAt.Ticks}_{id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var expected = everyone.Where(user => user.Id < id).Take(ListingModel.PageSize).Select(user => user.Username);
        Assert.Equal(expected, page.Texts(".user-list .username"));
    }

    private static string QueryValue(string url, string key) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), url).Query)[key]!;
}

/// <summary>Users for the search tests, and the reference a search page is checked against.</summary>
internal static class SearchUsers
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] First = ["ada", "alan", "grace"];
    private static readonly string[] Last = ["hopper", "turing", "lovelace"];

    /// <summary>The reference: every user whose username (in any case) or email contains the term, newest (highest id) first.</summary>
    public static async Task<List<User>> MatchesNewestFirstAsync(TestDatabase db, string term) =>
        [.. (await db.ReadUsersAsync())
            .Where(user => user.Username.Contains(term, StringComparison.OrdinalIgnoreCase) || user.Email.Contains(term, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(user => user.Id)];

    /// <summary>A search's first page, 1,000 users long, is the reference for each term.</summary>
    public static async Task AssertOnePageHoldsEveryMatchAsync(TestDatabase db, IEnumerable<string> terms)
    {
        var search = new UserSearch(db.Database);
        foreach (var term in terms)
        {
            var expected = await MatchesNewestFirstAsync(db, term);
            await using var unit = await db.Database.BeginReadAsync(TestContext.Current.CancellationToken);
            var page = await search.SearchAsync(unit, term, null, null, pageSize: 1_000, TestContext.Current.CancellationToken);
            Assert.Equal(expected.Select(user => user.Username), page.Users.Select(user => user.Username));
        }
    }

    /// <summary>Users named after the three first and last names, joining from <paramref name="startMinute"/> on.</summary>
    public static IEnumerable<ImportedUser> Named(string prefix, int startMinute, int count, int minutesApart) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var name = $"{prefix}{i}.{First[i % 3]}.{Last[i / 3 % 3]}";
            return new ImportedUser(name, $"{name}@example.com", Start.AddMinutes(startMinute + (i * minutesApart)));
        });
}
