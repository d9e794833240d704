using UserPages.Data;
using UserPages.Migrations;
using UserPages.Tests.Infrastructure;
using UserPages.Tests.Pages.Users;

namespace UserPages.Tests.Cli;

/// <summary>
/// IndexSearchOnMariaDb: up indexes the users already there, down removes the trigram table and its triggers, and a
/// run interrupted after any of its statements (MariaDB commits each DDL statement by itself) completes when run again,
/// with the users signed up meanwhile found too.
/// </summary>
public sealed class SearchTrigramMigrationTests(DatabaseFixture<MySqlEngine> database) : IClassFixture<DatabaseFixture<MySqlEngine>>
{
    private const long BeforeIndexSearchOnMariaDb = 2026120501;

    private const string TrigramObjects = """
        SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'user_trigrams'
        UNION ALL
        SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'users_trigrams_%'
        """;

    private static readonly string[] Terms = ["hopper", "ada.turing", "lace2", "GRACE", "before1", "between", "during", "nobody-here"];

    private TestDatabase Db => database.Db;

    [Fact]
    public async Task Users_from_before_during_and_after_an_interrupted_run_are_all_found_once_it_completes()
    {
        await Db.ImportUsersAsync(SearchUsers.Named("before", 0, 120, minutesApart: 1));
        await AssertSearchIsExactAsync();

        await Db.Migrator.DownAsync(BeforeIndexSearchOnMariaDb, TestContext.Current.CancellationToken);
        Assert.Empty(await Db.QueryAsync<string>(TrigramObjects));
        await Db.ImportUsersAsync(SearchUsers.Named("between", 200, 60, minutesApart: 1));

        // Killed after its first two statements: the table and the insert trigger are there, the rest is not.
        await Db.RunScriptAsync(IndexSearchOnMariaDb.Table);
        await Db.RunScriptAsync(IndexSearchOnMariaDb.InsertTrigger);
        await Db.ImportUsersAsync(SearchUsers.Named("during", 300, 60, minutesApart: 1));

        var rerun = await AppProcess.RunAsync(Db.Settings, "migrate");

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains("Applied 2026120620 Index search on MariaDB", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(TestDatabase.LatestVersion, (await Db.Migrator.StatusAsync()).CurrentVersion);
        Assert.Equal(5, (await Db.QueryAsync<string>(TrigramObjects)).Count);
        await AssertSearchIsExactAsync();

        // And down and up once more, from a complete state.
        await Db.Migrator.DownAsync(BeforeIndexSearchOnMariaDb, TestContext.Current.CancellationToken);
        await Db.MigrateAsync();
        await AssertSearchIsExactAsync();
    }

    private Task AssertSearchIsExactAsync() => SearchUsers.AssertOnePageHoldsEveryMatchAsync(Db, Terms);
}

/// <summary>
/// IndexSearchOnPostgres: up indexes the users already there, down removes the trigram table, its triggers and
/// functions, and up again indexes the users added meanwhile; every search stays exact throughout.
/// </summary>
public sealed class SearchTrigramMigrationTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : IClassFixture<DatabaseFixture<PostgresEngine>>
{
    private const long BeforeIndexSearchOnPostgres = 2026120620;

    private const string TrigramObjects = """
        SELECT relname::text FROM pg_class WHERE relname = 'user_trigrams'
        UNION ALL SELECT tgname::text FROM pg_trigger WHERE tgname LIKE 'users_trigrams_%'
        UNION ALL SELECT proname::text FROM pg_proc WHERE proname LIKE 'user%trigrams%'
        """;

    private static readonly string[] Terms = ["hopper", "ada.turing", "lace2", "GRACE", "before1", "between", "nobody-here"];

    private TestDatabase Db => database.Db;

    [Fact]
    public async Task Users_from_before_and_between_a_down_and_an_up_are_all_found()
    {
        await Db.ImportUsersAsync(SearchUsers.Named("before", 0, 120, minutesApart: 1));
        Assert.Equal(8, (await Db.QueryAsync<string>(TrigramObjects)).Count);
        await AssertSearchIsExactAsync();

        await Db.Migrator.DownAsync(BeforeIndexSearchOnPostgres, TestContext.Current.CancellationToken);
        Assert.Empty(await Db.QueryAsync<string>(TrigramObjects));
        await Db.ImportUsersAsync(SearchUsers.Named("between", 200, 60, minutesApart: 1));
        await Db.RunScriptAsync("UPDATE users SET username = 'Renamed.Hopper' WHERE username = 'before4.alan.turing'");

        await Db.MigrateAsync();

        Assert.Equal(8, (await Db.QueryAsync<string>(TrigramObjects)).Count);
        await AssertSearchIsExactAsync();
    }

    private Task AssertSearchIsExactAsync() => SearchUsers.AssertOnePageHoldsEveryMatchAsync(Db, Terms);
}
