using System.Globalization;
using System.Net;
using UserPages.Data;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// SQLite walks its search index in id order and merges in the users kept apart as out of id order (migration
/// SearchInListingOrder), or falls back to reading candidates when there are too many of them or the cursor's user has
/// moved. Whatever order the users were added in, every search page is the one a plain filter over the table gives.
/// </summary>
public sealed class SearchInListingOrderTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] First = ["ada", "alan", "grace"];
    private static readonly string[] Last = ["hopper", "turing", "lovelace"];
    private static readonly string[] Terms = ["hopper", "ada.turing", "lace2", "GRACE", "nobody-here"];

    private const string OutOfOrder = "SELECT COUNT(*) FROM users_out_of_order";

    [Fact]
    public async Task Every_search_page_is_the_filtered_listing_whatever_order_users_were_added_in()
    {
        // In order: each user joins after the one before, as signups do.
        await app.Db.ImportUsersAsync(Users("in", 0, 300, minutesApart: 10));
        Assert.Equal(0, await app.Db.ScalarAsync<long>(OutOfOrder));
        await AssertEverySearchWalksLikeTheFilterAsync();

        // A few imported with their own join dates among older users: kept apart, merged in.
        await app.Db.ImportUsersAsync(Users("mid", 7, 40, minutesApart: 70));
        Assert.InRange(await app.Db.ScalarAsync<long>(OutOfOrder), 1, 1000);
        await AssertEverySearchWalksLikeTheFilterAsync();

        // Join times changed and users deleted by an operator's SQL.
        await app.Db.RunScriptAsync("""
            UPDATE users SET created_at = '2024-06-01 00:00:00' WHERE username LIKE 'in%7.%';
            UPDATE users SET created_at = '2026-06-01 00:00:00' WHERE username LIKE 'in%3.%';
            DELETE FROM users WHERE username LIKE 'in%5.%';
            """);
        await AssertEverySearchWalksLikeTheFilterAsync();

        // More than can be merged in on every page: the candidates list the pages instead.
        await app.Db.ImportUsersAsync(Users("old", -20_000, 1_100, minutesApart: 1));
        Assert.True(await app.Db.ScalarAsync<long>(OutOfOrder) > 1000);
        await AssertEverySearchWalksLikeTheFilterAsync();
    }

    private async Task AssertEverySearchWalksLikeTheFilterAsync()
    {
        var client = app.CreateClient();
        foreach (var term in Terms)
        {
            var expected = await MatchesNewestFirstAsync(app.Db, term);
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

    /// <summary>The reference: every user whose username (in any case) or email contains the term, in listing order.</summary>
    internal static async Task<List<User>> MatchesNewestFirstAsync(TestDatabase db, string term) =>
        [.. (await db.ReadUsersAsync())
            .Where(user => user.Username.Contains(term, StringComparison.OrdinalIgnoreCase) || user.Email.Contains(term, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(user => (user.CreatedAt, user.Id))];

    /// <summary>Users named after the three first and last names, joining from <paramref name="startMinute"/> on.</summary>
    internal static IEnumerable<ImportedUser> Users(string prefix, int startMinute, int count, int minutesApart) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var name = $"{prefix}{i}.{First[i % 3]}.{Last[i / 3 % 3]}";
            return new ImportedUser(name, $"{name}@example.com", Start.AddMinutes(startMinute + (i * minutesApart)));
        });
}

/// <summary>
/// A search's "Older" link names a user; when that user's join time changes or the user is deleted before the link is
/// followed, the page still lists exactly the matches older than the link's position.
/// </summary>
public sealed class SearchCursorMovedTests(SearchCursorMovedTests.Fixture app) : IClassFixture<SearchCursorMovedTests.Fixture>
{
    /// <summary>300 users in id order, a third of them named "hopper".</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<SqliteEngine>(servers)
    {
        protected override Task OnMigratedAsync() => Db.ImportUsersAsync(SearchInListingOrderTests.Users("in", 0, 300, minutesApart: 10));
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
        var expected = (await SearchInListingOrderTests.MatchesNewestFirstAsync(app.Db, "hopper"))
            .Where(user => (user.CreatedAt, user.Id).CompareTo((cursor.Value.CreatedAt, cursor.Value.Id)) < 0)
            .Take(ListingModel.PageSize).Select(user => user.Username);
        Assert.Equal(expected, page.Texts(".user-list .username"));
    }

    [Fact]
    public async Task A_hand_made_cursor_pairing_a_late_join_time_with_a_small_id_lists_every_match_older_than_it()
    {
        var everyone = await SearchInListingOrderTests.MatchesNewestFirstAsync(app.Db, "hopper");
        var cursor = new ListingCursor(everyone[0].CreatedAt, everyone.Min(user => user.Id) + 1);

        var page = await HtmlPage.GetAsync(app.CreateClient(), $"/users?q=hopper&before={cursor}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var expected = everyone.Where(user => (user.CreatedAt, user.Id).CompareTo((cursor.CreatedAt, cursor.Id)) < 0)
            .Take(ListingModel.PageSize).Select(user => user.Username);
        Assert.Equal(expected, page.Texts(".user-list .username"));
    }

    private static string QueryValue(string url, string key) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), url).Query)[key]!;
}
