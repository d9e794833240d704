using System.Net;
using AngleSharp.Dom;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The listing over a database of its own: 120 users with known join dates, signed up in that order, so order, paging,
/// search and masking are checked against what is really stored.
/// </summary>
public abstract class ListingTests<TEngine>(ListingTests<TEngine>.Fixture app) : IClassFixture<ListingTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    public const int Seeded = 120;

    /// <summary>
    /// Seeds the class's database once: per%cent_x (the oldest), then user000 to user119 (the newest), one minute apart,
    /// and after them two users that a wildcard reading of "r%c" or "t_x" would match too, backdated a year.
    /// </summary>
    public sealed class Fixture(TestServers servers) : AppFixture<TEngine>(servers)
    {
        private static readonly DateTime Start = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

        protected override async Task OnMigratedAsync()
        {
            await Db.ImportUsersAsync(Enumerable.Range(0, Seeded)
                .Select(i => new ImportedUser($"user{i:000}", $"person{i:000}@example.com", Start.AddMinutes(i)))
                .Prepend(new ImportedUser("per%cent_x", "odd!mail@example.org", Start.AddMinutes(-10))));
            await Db.ImportUsersAsync([
                new ImportedUser("perXcent", "wild1@example.net", Start.AddYears(-1)),
                new ImportedUser("tYx.wild", "wild2@example.net", Start.AddYears(-1)),
            ]);
        }
    }

    /// <summary>The users a wildcard reading of a search would add; they are the newest by id, backdated.</summary>
    private const int Wildcards = 2;

    [Fact]
    public async Task Root_redirects_to_the_listing()
    {
        var response = await app.CreateClient().GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task First_page_shows_the_50_newest_with_masked_emails_and_the_total()
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), "/users");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var names = page.Texts(".user-list .username");
        // Newest first is signup order, whatever the join dates say: the two backdated users are on top.
        Assert.Equal(["tYx.wild", "perXcent", .. Enumerable.Range(72, 48).Reverse().Select(i => $"user{i:000}")], names);
        Assert.Equal("p***@example.com", page.Texts(".user-list .email")[2]);
        Assert.DoesNotContain("person119@example.com", page.Document.Body!.InnerHtml, StringComparison.Ordinal);
        Assert.Equal($"{Seeded + 1 + Wildcards} users have signed up.", page.Text("#user-count"));
        Assert.Equal("2025-01-01T13:59:00Z", page.Document.QuerySelectorAll(".user-list time")[2].GetAttribute("datetime"));
        Assert.Null(page.Document.QuerySelector("a[rel=prev]"));
    }

    [Fact]
    public async Task Older_and_newer_links_walk_every_user_once_and_back()
    {
        // The walk checks each Older link pages by before= and that Newer, back from the last page, shows each page again.
        var pages = await ListingWalk.OlderToTheEndAndBackAsync(app.CreateClient(), "/users");

        Assert.Equal(3, pages.Count);
        var seen = pages.SelectMany(page => page).ToList();
        Assert.Equal(Seeded + 1 + Wildcards, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal("per%cent_x", seen[^1]);
    }

    [Theory]
    [InlineData("USER11", new[] { "user119", "user118", "user117", "user116", "user115", "user114", "user113", "user112", "user111", "user110" })]
    [InlineData("person007@", new[] { "user007" })]
    [InlineData("r%c", new[] { "per%cent_x" })]
    [InlineData("t_x", new[] { "per%cent_x" })]
    [InlineData("odd!mail", new[] { "per%cent_x" })]
    public async Task Search_matches_username_or_email_case_insensitively_and_treats_wildcards_literally(string term, string[] expected)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), $"/users?q={Uri.EscapeDataString(term)}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(expected, page.Texts(".user-list .username"));
        Assert.Equal(expected.Length == 1 ? "1 user matches." : $"{expected.Length} users match.", page.Text("#user-count"));
        Assert.Equal(term, page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")!.Value);
    }

    [Theory]
    [InlineData("ab", "ab", "Type at least 3 characters to search.")]
    [InlineData("  %  ", "%", "Type at least 3 characters to search.")]
    [InlineData("x", "x", "Type at least 3 characters to search.")]
    [InlineData("😀😀", "😀😀", "Type at least 3 characters to search.")]
    public async Task A_search_too_short_for_the_index_is_refused_with_400_and_the_term_kept_to_correct(string term, string kept, string message)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), $"/users?q={Uri.EscapeDataString(term)}");

        AssertRefusedSearch(page, message);
        Assert.Equal(kept, page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")!.Value);
    }

    [Fact]
    public async Task A_search_longer_than_the_box_allows_is_refused_with_400_and_not_echoed()
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), "/users?q=" + new string('x', UserPages.Pages.Users.ListingValidator.SearchMaxLength + 1));

        AssertRefusedSearch(page, "A search is at most 100 characters long.");
        Assert.Equal("", page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")!.Value);
    }

    [Theory]
    [InlineData("abc\0def")]
    [InlineData("abc\u001Bdef")]
    [InlineData("abc\u007Fdef")]
    [InlineData("abc\ndef")]
    [InlineData("\tabc")] // around the term, not trimmed away like a space
    [InlineData("abc\u0085")]
    public async Task A_search_with_a_control_character_is_refused_with_400_and_is_no_database_incident(string term)
    {
        var client = app.CreateClient();
        var page = await HtmlPage.GetAsync(client, $"/users?q={Uri.EscapeDataString(term)}");

        AssertRefusedSearch(page, "A search cannot contain control characters.");
        Assert.Equal("", page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")!.Value);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.DoesNotContain(app.Logs.GetSnapshot(), entry => entry.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static void AssertRefusedSearch(HtmlPage page, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(message, page.Text("#q-error"));
        var box = page.Document.QuerySelector("#q")!;
        Assert.Equal("true", box.GetAttribute("aria-invalid"));
        Assert.Equal("q-error", box.GetAttribute("aria-describedby"));
        Assert.Empty(page.Texts(".user-list .username"));
        Assert.Null(page.Document.QuerySelector("#user-count"));
        Assert.Equal("/users", page.Document.QuerySelector(".empty a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Search_without_matches_says_so()
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), "/users?q=nobody-here");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        // Said once, in the count line; the empty area explains how search works instead of repeating it.
        Assert.Equal("No users match “nobody-here”.", page.Text("#user-count"));
        Assert.DoesNotContain("nobody-here", page.Text(".empty"), StringComparison.Ordinal);
        Assert.Equal("/users", page.Document.QuerySelector(".empty a")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("/users?before=garbage")]
    [InlineData("/users?after=1_x")]
    [InlineData("/users?before=-5_3")]
    [InlineData("/users?before=99999999999999999999_1")]
    [InlineData("/users?before=1_1&after=1_1")]
    public async Task Malformed_cursor_answers_a_friendly_400(string url)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Bad request", page.Text("h1"));
    }

    [Fact]
    public async Task Details_page_shows_one_user_with_a_masked_email()
    {
        var user = (await app.Db.FindUserAsync("user042"))!;

        var page = await HtmlPage.GetAsync(app.CreateClient(), $"/users/{user.Id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("user042 · UserPages", page.Document.Title);
        Assert.Equal("user042", page.Text("h1"));
        Assert.Contains("p***@example.com", page.Text(".profile dl"), StringComparison.Ordinal);
        Assert.Contains("2025-01-01 12:42:00 UTC", page.Text(".profile dl"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users/999999")]
    [InlineData("/users/0")]
    [InlineData("/users/-1")]
    [InlineData("/users/abc")]
    [InlineData("/users/99999999999999999999999")]
    [InlineData("/no/such/page")]
    public async Task Unknown_or_malformed_addresses_answer_a_friendly_404(string url)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
        Assert.False(page.Response.Headers.Contains("Server"));
    }
}

public sealed class ListingTestsOnSqlite(ListingTests<SqliteEngine>.Fixture app) : ListingTests<SqliteEngine>(app);

public sealed class ListingTestsOnPostgres(ListingTests<PostgresEngine>.Fixture app) : ListingTests<PostgresEngine>(app);

public sealed class ListingTestsOnMySql(ListingTests<MySqlEngine>.Fixture app) : ListingTests<MySqlEngine>(app);
