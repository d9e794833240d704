using Microsoft.Extensions.DependencyInjection;
using UserPages.Data;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>What the listing keeps between requests stays within its configured size, however many pages are asked for.</summary>
public sealed class ListingCacheBoundTests(ListingCacheBoundTests.Fixture app) : IClassFixture<ListingCacheBoundTests.Fixture>
{
    private const long Limit = 120_000;
    private const int Seeded = 400;
    private static readonly DateTime Start = new(2025, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    public sealed class Fixture(TestServers servers) : AppFixture<SqliteEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["ListingCache:SizeLimitBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        protected override Task OnMigratedAsync() => Db.ImportUsersAsync(Enumerable.Range(0, Seeded)
            .Select(i => new ImportedUser($"kept{i:000}", $"kept{i:000}@example.com", Start.AddMinutes(i))));
    }

    [Fact]
    public async Task Many_distinct_pages_and_searches_keep_no_more_than_the_limit()
    {
        var store = app.Factory.Services.GetRequiredService<ListingCacheStore>();
        var client = app.CreateClient();
        var users = await app.Db.ReadUsersAsync();
        Assert.Equal(Seeded, users.Count);

        // Searches are never kept, however many there are.
        foreach (var user in users.Take(100))
        {
            var search = await HtmlPage.GetAsync(client, $"/users?q={user.Username}");
            Assert.Equal([user.Username], search.Texts(".user-list .username"));
        }

        Assert.Equal(0, store.Count);

        // Every user's position is a distinct page of 50 (about 15 kB each): some 6 MB asked for in all.
        var largest = 0L;
        foreach (var user in users)
        {
            var page = await HtmlPage.GetAsync(client, $"/users?before={ListingCursor.For(user)}");
            Assert.Equal(System.Net.HttpStatusCode.OK, page.Status);
            Assert.True(store.SizeBytes <= Limit, $"{store.SizeBytes} bytes kept, over the limit of {Limit}");
            largest = Math.Max(largest, store.SizeBytes);
        }

        // Pages from the oldest end are short, so a few more than limit / 15 kB fit; never the 400 asked for.
        Assert.InRange(store.Count, 1, 40);
        Assert.True(largest > Limit / 2, $"the cache never held more than {largest} bytes: the test did not reach the limit");
    }
}

/// <summary>A page kept for an older version of the users can never be asked for again, so it does not stay.</summary>
public sealed class ListingCacheSupersededTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    private static readonly DateTime Start = new(2025, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_new_version_drops_the_pages_kept_for_the_old_one()
    {
        await app.Db.ImportUsersAsync(Enumerable.Range(0, 120)
            .Select(i => new ImportedUser($"held{i:000}", $"held{i:000}@example.com", Start.AddMinutes(i))));
        var store = app.Factory.Services.GetRequiredService<ListingCacheStore>();
        var client = app.CreateClient();
        var users = await app.Db.ReadUsersAsync();
        foreach (var user in users.Take(5))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await HtmlPage.GetAsync(client, $"/users?before={ListingCursor.For(user)}")).Status);
        }

        Assert.Equal(5, store.Count);

        await app.Db.ImportUsersAsync([new ImportedUser("newcomer", "newcomer@example.com", Start.AddDays(1))]);
        var first = await HtmlPage.GetAsync(client, "/users");

        Assert.Equal("newcomer", first.Texts(".user-list .username")[0]);
        Assert.Equal(1, store.Count);
    }
}
