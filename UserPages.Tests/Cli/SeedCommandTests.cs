using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// <c>seed</c> adds its backdated demo users oldest first and after everyone already there, so the listing's order
/// (signup order, the id) agrees with their join dates, run after run.
/// </summary>
public abstract class SeedCommandTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task Two_seed_runs_after_a_user_who_joined_recently_give_ids_that_follow_join_dates()
    {
        var db = database.Db;
        await db.ImportUsersAsync([new("recent", "recent@example.com", DateTime.UtcNow.AddDays(-2))]);

        for (var run = 0; run < 2; run++)
        {
            var seeded = await AppProcess.RunInEnvironmentAsync("Development", db.Settings, "seed", "--users", "300");
            Assert.True(seeded.ExitCode == 0, seeded.Error);
        }

        var users = (await db.ReadUsersAsync()).OrderBy(user => user.Id).ToList();
        Assert.Equal(601, users.Count);
        Assert.Equal("recent", users[0].Username);
        Assert.All(users.Zip(users.Skip(1)), pair => Assert.True(pair.First.CreatedAt <= pair.Second.CreatedAt,
            $"{pair.Second.Username} (id {pair.Second.Id}) joined {pair.Second.CreatedAt:O}, before {pair.First.Username} (id {pair.First.Id}) at {pair.First.CreatedAt:O}."));
        Assert.All(users, user => Assert.True(user.CreatedAt <= DateTime.UtcNow, $"{user.Username} joins in the future."));
    }
}

public sealed class SeedCommandTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : SeedCommandTests<SqliteEngine>(database);

public sealed class SeedCommandTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : SeedCommandTests<PostgresEngine>(database);

public sealed class SeedCommandTestsOnMySql(DatabaseFixture<MySqlEngine> database) : SeedCommandTests<MySqlEngine>(database);
