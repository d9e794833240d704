using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserPages.Data;
using UserPages.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UserPages.Tests.Browser;

/// <summary>Reading the listing in a real browser: search, Older/Newer through 120 users, a profile, a 404.</summary>
[Collection(BrowserTests.Name)]
public sealed class ListingInBrowserTests(BrowserFixture browser, ListingInBrowserTests.Fixture app) : IClassFixture<ListingInBrowserTests.Fixture>
{
    private const int Seeded = 120;

    /// <summary>user000 (oldest) to user119 (newest), an hour apart, ending an hour ago.</summary>
    public sealed class Fixture(TestServers servers) : BrowserApp(servers)
    {
        protected override Task OnMigratedAsync()
        {
            var newest = DateTime.UtcNow.AddHours(-1);
            return Db.ImportUsersAsync(Enumerable.Range(0, Seeded)
                .Select(i => new ImportedUser($"user{i:000}", $"person{i:000}@example.com", newest.AddHours(i - Seeded + 1))));
        }
    }

    [Fact]
    public Task Older_and_Newer_walk_through_all_120_users_and_back() => browser.RunAsync(app, async page =>
    {
        var older = page.GetByRole(AriaRole.Link, new() { Name = "Older" });
        var newer = page.GetByRole(AriaRole.Link, new() { Name = "Newer" });
        await page.GotoAsync("/users");
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("120 users have signed up.");
        await ExpectUsersAsync(page, 119, 70);
        await Expect(newer).ToHaveCountAsync(0);

        await older.ClickAsync();
        await ExpectUsersAsync(page, 69, 20);
        await page.AssertAccessibleAsync("a middle page of the listing");
        await older.ClickAsync();
        await ExpectUsersAsync(page, 19, 0);
        await Expect(older).ToHaveCountAsync(0);

        await newer.ClickAsync();
        await ExpectUsersAsync(page, 69, 20);
        await newer.ClickAsync();
        await ExpectUsersAsync(page, 119, 70);
        await Expect(newer).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Search_keeps_the_term_in_the_box_and_says_when_nothing_matches() => browser.RunAsync(app, async page =>
    {
        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search by username or email" });
        await page.GotoAsync("/users");

        await search.FillAsync("user11");
        await search.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex(@"\?q=user11$"));
        await ExpectUsersAsync(page, 119, 110);
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("10 users match.");
        await Expect(search).ToHaveValueAsync("user11");

        await search.FillAsync("nobody-here");
        await search.PressAsync("Enter");

        await Expect(page.Locator("#user-count")).ToHaveTextAsync("No users match “nobody-here”.");
        await Expect(search).ToHaveValueAsync("nobody-here");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clear" }).ClickAsync();
        await Expect(search).ToHaveValueAsync("");
        await ExpectUsersAsync(page, 119, 70);
    });

    [Fact]
    public Task A_users_profile_opens_from_the_listing_with_a_masked_email_and_a_relative_join_time() => browser.RunAsync(app, async page =>
    {
        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "user119", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("user119");
        await Expect(page.Locator(".profile dd").First).ToHaveTextAsync("p***@example.com");
        await Expect(page.Locator(".profile time")).ToHaveTextAsync("1 hour ago");
        await Expect(page.Locator(".profile time")).ToHaveAttributeAsync("title", new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to all users" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/users$"));
    });

    [Fact]
    public Task An_unknown_id_shows_a_friendly_404_with_a_way_back() => browser.RunAsync(app, async page =>
    {
        var response = await page.GotoAsync("/users/987654");

        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the user listing" }).ClickAsync();
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("120 users have signed up.");
    });

    /// <summary>The listing shows exactly userFROM down to userTO, newest first.</summary>
    private static Task ExpectUsersAsync(IPage page, int from, int to) =>
        Expect(page.Locator(".user-list .username")).ToHaveTextAsync(
            Enumerable.Range(to, from - to + 1).Reverse().Select(i => $"user{i:000}").ToArray());
}
