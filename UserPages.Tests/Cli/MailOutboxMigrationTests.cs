using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// CreateMailOutbox on every engine: up creates the table with the claim's and the retention sweep's indexes, down
/// removes it, and on MariaDB (which commits DDL statement by statement) a table an interrupted run left is passed.
/// </summary>
public abstract class MailOutboxMigrationTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    protected const long BeforeCreateMailOutbox = 2026120401;

    protected TestDatabase Db => database.Db;

    [Fact]
    public async Task Up_creates_the_outbox_with_its_two_indexes_and_down_removes_it()
    {
        var indexes = await IndexesAsync();
        Assert.Contains("ix_mail_outbox_state_due_at", indexes);
        Assert.Contains("ix_mail_outbox_finished_at", indexes);

        var down = await AppProcess.RunAsync(database.Db.Settings, "migrate", "down", "--to", BeforeCreateMailOutbox.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Empty(await IndexesAsync());
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => database.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_outbox"));

        await database.Db.MigrateAsync();
        Assert.Equal(0, await database.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_outbox"));
    }

    private Task<List<string>> IndexesAsync() => database.Db.QueryAsync<string>(database.Db.Provider switch
    {
        DatabaseProvider.Sqlite => "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mail_outbox'",
        DatabaseProvider.Postgres => "SELECT indexname FROM pg_indexes WHERE tablename = 'mail_outbox'",
        _ => "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mail_outbox'",
    });
}

public sealed class MailOutboxMigrationTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : MailOutboxMigrationTests<SqliteEngine>(database);

public sealed class MailOutboxMigrationTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : MailOutboxMigrationTests<PostgresEngine>(database);

public sealed class MailOutboxMigrationTestsOnMySql(DatabaseFixture<MySqlEngine> database) : MailOutboxMigrationTests<MySqlEngine>(database)
{
    [Fact]
    public async Task On_MariaDB_a_table_left_by_an_interrupted_run_is_passed_and_the_migration_completes()
    {
        await Db.Migrator.DownAsync(BeforeCreateMailOutbox, TestContext.Current.CancellationToken);
        await Db.RunScriptAsync(UserPages.Migrations.CreateMailOutbox.MySql);

        var rerun = await AppProcess.RunAsync(Db.Settings, "migrate");

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains("Applied 2026120501 Create mail outbox", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(TestDatabase.LatestVersion, (await Db.Migrator.StatusAsync()).CurrentVersion);
    }
}
