using System.Diagnostics;
using Dapper;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// MariaDB commits every DDL statement on its own, so a <c>migrate</c> killed, or failing, in the middle of a migration
/// leaves that migration's first steps behind, unrecorded. Running <c>migrate</c> again must finish it, not trip over
/// them. Each test starts from, and leaves, a current schema.
/// </summary>
public sealed class InterruptedMigrationTests(DatabaseFixture<MySqlEngine> database) : IClassFixture<DatabaseFixture<MySqlEngine>>
{
    private const long BeforeCountUsersInARow = 2026112502;
    private const long CountUsersInARow = 2026112503;

    private const string MigrationWaitingForUsers =
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO user_count%'";

    private const string TableExists =
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @Table";

    [Fact]
    public async Task Migrate_killed_in_the_middle_of_a_migration_on_MariaDB_completes_when_run_again()
    {
        await database.Db.Migrator.DownAsync(BeforeCountUsersInARow, TestContext.Current.CancellationToken);

        // CountUsersInARow creates user_count, then counts the users into it: with users locked by this session, the
        // migration stops between the two, its table created and committed, and is killed there.
        await using (var session = await database.Db.OpenConnectionAsync())
        {
            await session.ExecuteAsync("LOCK TABLES users WRITE");
            using var migrate = Process.Start(AppProcess.StartInfo(database.Db.Settings, "Production", "migrate"))!;
            try
            {
                for (var waited = 0; await database.Db.ScalarAsync<long>(MigrationWaitingForUsers) == 0; waited++)
                {
                    Assert.True(waited < 600 && !migrate.HasExited, "migrate never reached the count of users.");
                    await Task.Delay(100);
                }
            }
            finally
            {
                migrate.Kill(entireProcessTree: true);
                await migrate.WaitForExitAsync();
                await session.ExecuteAsync("UNLOCK TABLES");
            }
        }

        var killed = await database.Db.Migrator.StatusAsync();
        Assert.Equal(BeforeCountUsersInARow, killed.CurrentVersion);
        Assert.True(await TableExistsAsync("user_count"));

        var rerun = await AppProcess.RunAsync(database.Db.Settings, "migrate");

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains($"Applied {CountUsersInARow} Count users in a row", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(TestDatabase.LatestVersion, (await database.Db.Migrator.StatusAsync()).CurrentVersion);

        // Whole: one count row, and the triggers keep it.
        await database.Db.ImportUsersAsync([new("after-rerun", "after-rerun@example.com", DateTime.UtcNow)]);
        Assert.Equal([await database.Db.CountUsersAsync()], await database.Db.QueryAsync<long>("SELECT total FROM user_count"));
    }

    [Fact]
    public async Task A_first_migrate_failing_after_creating_the_users_table_on_MariaDB_completes_when_run_again()
    {
        await database.Db.Migrator.DownAsync(0, TestContext.Current.CancellationToken);

        // An operator's migrating user who may create and alter tables but not indexes: CreateUsersTable creates and
        // alters users (each committed at once), then fails on its first index.
        var user = $"migrator_{Guid.NewGuid():N}"[..20];
        const string Password = "migrator-password";
        await using var session = await database.Db.OpenConnectionAsync();
        await session.ExecuteAsync($"CREATE USER '{user}'@'localhost' IDENTIFIED BY '{Password}'");
        try
        {
            await session.ExecuteAsync($"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, TRIGGER ON {session.Database}.* TO '{user}'@'localhost'");

            var failed = await AppProcess.RunAsync(database.Db.SettingsAs(user, Password), "migrate");

            Assert.Equal(1, failed.ExitCode);
            Assert.Contains("INDEX command denied", failed.Error, StringComparison.Ordinal);
            Assert.Equal(0, (await database.Db.Migrator.StatusAsync()).CurrentVersion);
            Assert.True(await TableExistsAsync("users"));

            await session.ExecuteAsync($"GRANT INDEX ON {session.Database}.* TO '{user}'@'localhost'");
            var rerun = await AppProcess.RunAsync(database.Db.SettingsAs(user, Password), "migrate");

            Assert.True(rerun.ExitCode == 0, rerun.Error);
            Assert.Equal(TestDatabase.LatestVersion, (await database.Db.Migrator.StatusAsync()).CurrentVersion);

            // Whole: the unique index on the name is there, whatever the letter case. (Before the user is dropped:
            // the count's triggers run as the user who created them.)
            await database.Db.ImportUsersAsync([new("Midway", "midway@example.com", DateTime.UtcNow)]);
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => database.Db.ImportUsersAsync([new("MIDWAY", "other@example.com", DateTime.UtcNow)]));
        }
        finally
        {
            await session.ExecuteAsync($"DROP USER '{user}'@'localhost'");
        }
    }

    private async Task<bool> TableExistsAsync(string table)
    {
        await using var session = await database.Db.OpenConnectionAsync();
        return await session.ExecuteScalarAsync<long>(TableExists, new { Table = table }) == 1;
    }
}
