using System.Net;
using AngleSharp.Dom;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// Keyset paging where many users share one join time, more than a page of them, as a group commit on PostgreSQL or
/// whole-second timestamps produce, and others were added later with earlier dates: walking Older to the end and Newer
/// back shows everyone once in signup (id) order, listing and searching alike.
/// </summary>
public abstract class ListingTiesTests<TEngine>(ListingTiesTests<TEngine>.Fixture app) : IClassFixture<ListingTiesTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    public const int Tied = 120;
    public const int EachSide = 30;

    /// <summary>120 users joined at one instant, 30 before it and 30 after, every other one with "even" in its name.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<TEngine>(servers)
    {
        public static readonly DateTime Instant = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

        protected override Task OnMigratedAsync() => Db.ImportUsersAsync(
            Enumerable.Range(0, Tied).Select(i => User($"tie{i:000}", Instant))
                .Concat(Enumerable.Range(1, EachSide).Select(i => User($"early{i:00}", Instant.AddMinutes(-i))))
                .Concat(Enumerable.Range(1, EachSide).Select(i => User($"late{i:00}", Instant.AddMinutes(i)))));

        private static ImportedUser User(string name, DateTime joined) =>
            new($"{name}.{(name[^1] % 2 == 0 ? "even" : "odd")}", $"{name}@example.com", joined);
    }

    [Theory]
    [InlineData(null)] // the whole listing: 180 users, the tied ones across the first three pages
    [InlineData("tie")] // only tied users
    [InlineData("even")] // half of them, tied and not
    public async Task Walking_older_to_the_end_and_newer_back_shows_every_user_once_in_order(string? search)
    {
        var client = app.CreateClient();
        var everyone = await app.Db.ReadUsersAsync();
        var expected = everyone.Where(user => search is null || user.Username.Contains(search, StringComparison.Ordinal))
            .OrderByDescending(user => user.Id).Select(user => user.Username).ToList();
        Assert.Equal(Tied, everyone.Count(user => user.CreatedAt == Fixture.Instant));

        // Newer from the last page retraces the same pages, back to the first, which has no Newer link.
        var pages = await ListingWalk.OlderToTheEndAndBackAsync(client, search is null ? "/users" : $"/users?q={search}");

        Assert.Equal(expected, pages.SelectMany(names => names));
        Assert.True(pages.Count >= 2, "The walk must cross a page boundary inside the tied group.");
    }
}

public sealed class ListingTiesTestsOnSqlite(ListingTiesTests<SqliteEngine>.Fixture app) : ListingTiesTests<SqliteEngine>(app);

public sealed class ListingTiesTestsOnPostgres(ListingTiesTests<PostgresEngine>.Fixture app) : ListingTiesTests<PostgresEngine>(app);

public sealed class ListingTiesTestsOnMySql(ListingTiesTests<MySqlEngine>.Fixture app) : ListingTiesTests<MySqlEngine>(app);
