using System.Globalization;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// ProveEntriesByEmail on every engine: up creates the pending signups, the entry links, the mail throttle, the users'
/// row version and confirmation time and the outbox's recipient index; down removes all of it and keeps the users; on
/// MariaDB (which commits DDL statement by statement) a rerun passes what an interrupted run left.
/// </summary>
public abstract class ProveEntriesMigrationTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    protected const long BeforeProveEntries = 2026120501;

    protected TestDatabase Db => database.Db;

    [Fact]
    public async Task Up_adds_the_tables_columns_and_index_and_down_removes_them_keeping_every_user()
    {
        var name = SignupClient.UniqueName("kept");
        await Db.ImportUsersAsync([new ImportedUser(name, $"{name}@example.com", DateTime.UtcNow)]);
        Assert.Equal(1, await Db.ScalarAsync<long>($"SELECT row_version FROM users WHERE username = '{name}'"));
        Assert.Contains("ix_mail_outbox_recipient", await OutboxIndexesAsync());
        foreach (var table in Tables)
        {
            Assert.Equal(0, await Db.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        var down = await AppProcess.RunAsync(Db.Settings, "migrate", "down", "--to", BeforeProveEntries.ToString(CultureInfo.InvariantCulture));

        Assert.True(down.ExitCode == 0, down.Error);
        Assert.DoesNotContain("ix_mail_outbox_recipient", await OutboxIndexesAsync());
        foreach (var table in Tables)
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Db.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Db.ScalarAsync<long>("SELECT COUNT(row_version) FROM users"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Db.ScalarAsync<long>("SELECT COUNT(confirmed_at) FROM users"));
        Assert.NotNull(await Db.FindUserAsync(name));

        await Db.MigrateAsync();
        Assert.Equal(1, await Db.ScalarAsync<long>($"SELECT row_version FROM users WHERE username = '{name}'"));
        Assert.Null(await Db.ScalarAsync<DateTime?>($"SELECT confirmed_at FROM users WHERE username = '{name}'"));
    }

    private static readonly string[] Tables = ["pending_signups", "entry_tokens", "mail_throttle"];

    private Task<List<string>> OutboxIndexesAsync() => Db.QueryAsync<string>(Db.Provider switch
    {
        DatabaseProvider.Sqlite => "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mail_outbox'",
        DatabaseProvider.Postgres => "SELECT indexname FROM pg_indexes WHERE tablename = 'mail_outbox'",
        _ => "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mail_outbox'",
    });
}

public sealed class ProveEntriesMigrationTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : ProveEntriesMigrationTests<SqliteEngine>(database);

public sealed class ProveEntriesMigrationTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : ProveEntriesMigrationTests<PostgresEngine>(database);

public sealed class ProveEntriesMigrationTestsOnMySql(DatabaseFixture<MySqlEngine> database) : ProveEntriesMigrationTests<MySqlEngine>(database)
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task On_MariaDB_a_rerun_completes_what_an_interrupted_run_left_after_its_first_statements(int statementsDone)
    {
        await Db.Migrator.DownAsync(BeforeProveEntries, TestContext.Current.CancellationToken);
        foreach (var statement in UserPages.Migrations.ProveEntriesByEmail.MySql.Take(statementsDone))
        {
            await Db.RunScriptAsync(statement);
        }

        var rerun = await AppProcess.RunAsync(Db.Settings, "migrate");

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains("Applied 2026120601 Prove entries by email", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(TestDatabase.LatestVersion, (await Db.Migrator.StatusAsync()).CurrentVersion);
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_throttle"));
    }
}
