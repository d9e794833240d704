using Dapper;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// `migrate` as operators run it: the built app as a child process against a database of <typeparamref name="TEngine"/>,
/// a fresh, empty one for each test, since each starts from a schema of its own making.
/// </summary>
public abstract class MigrateCommandTests<TEngine>(TestServers servers)
    where TEngine : ITestEngine
{
    private const string LockHeld = "migrate failed: Another migrate run holds the migration lock.";

    [Fact]
    public async Task Up_applies_each_migration_once_and_again_is_a_no_op()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var first = await AppProcess.RunAsync(db.Settings, "migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Applied 2026112501 Create users table", first.Output, StringComparison.Ordinal);
        Assert.Contains($"Schema is at version {TestDatabase.LatestVersion}.", first.Output, StringComparison.Ordinal);
        Assert.Equal(TestDatabase.LatestVersion, (await db.Migrator.StatusAsync()).CurrentVersion);

        var again = await AppProcess.RunAsync(db.Settings, "migrate", "up");

        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("Applied", again.Output, StringComparison.Ordinal);
        Assert.Contains($"Schema is up to date at version {TestDatabase.LatestVersion}.", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_pending_then_applied_migrations()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var before = await AppProcess.RunAsync(db.Settings, "migrate", "status");
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("Current version: 0", before.Output, StringComparison.Ordinal);
        Assert.Matches("Pending:\\s+2026112501 Create users table", before.Output);

        await db.MigrateAsync();
        var after = await AppProcess.RunAsync(db.Settings, "migrate", "status");

        Assert.Contains($"Current version: {TestDatabase.LatestVersion}", after.Output, StringComparison.Ordinal);
        Assert.Matches("Pending:\\s+\\(none\\)", after.Output);
    }

    [Fact]
    public async Task Down_to_zero_removes_the_schema_and_up_brings_it_back()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        await db.MigrateAsync();

        var down = await AppProcess.RunAsync(db.Settings, "migrate", "down", "--to", "0");

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("Rolled back 2026112501 Create users table", down.Output, StringComparison.Ordinal);
        Assert.Contains("Schema is at version 0.", down.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await db.Migrator.StatusAsync()).CurrentVersion);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.CountUsersAsync());

        var up = await AppProcess.RunAsync(db.Settings, "migrate");
        Assert.Equal(0, up.ExitCode);
        Assert.Equal(0, await db.CountUsersAsync());
    }

    [Fact]
    public async Task Down_to_an_unknown_version_fails_with_one_line_and_changes_nothing()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var known = string.Join(", ", (await db.Migrator.UpAsync(TestContext.Current.CancellationToken)).Migrations.Select(m => m.Version));

        var result = await AppProcess.RunAsync(db.Settings, "migrate", "down", "--to", "123");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"migrate down failed: There is no migration 123; use 0 or one of: {known}.", result.Error.Trim());
        Assert.Equal(TestDatabase.LatestVersion, (await db.Migrator.StatusAsync()).CurrentVersion);
    }

    [Fact]
    public async Task Script_prints_the_sql_and_changes_nothing()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var result = await AppProcess.RunAsync(db.Settings, "migrate", "script");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CREATE TABLE", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ux_users_username_ci", result.Output, StringComparison.Ordinal);
        var status = await db.Migrator.StatusAsync();
        Assert.Equal(0, status.CurrentVersion);
        Assert.NotEmpty(status.Pending);
    }

    [Fact]
    public async Task Script_on_a_current_schema_says_in_an_sql_comment_that_there_is_nothing_to_apply()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        await db.MigrateAsync();

        var result = await AppProcess.RunAsync(db.Settings, "migrate", "script");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"-- Nothing to apply: every migration this build knows is applied (version {TestDatabase.LatestVersion}).", result.Output.TrimEnd('\n'));
        Assert.Empty(result.Error);
    }

    // The script is for operators who apply SQL themselves: run as printed, in one go, it must build the schema
    // `migrate up` builds, version table included, triggers and all.
    [Fact]
    public async Task Script_run_as_printed_builds_the_schema_migrate_up_would()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var script = await AppProcess.RunAsync(db.Settings, "migrate", "script");
        Assert.Equal(0, script.ExitCode);

        await db.RunScriptAsync(script.Output);

        var status = await db.Migrator.StatusAsync();
        Assert.Equal(TestDatabase.LatestVersion, status.CurrentVersion);
        Assert.Empty(status.Pending);
        await using var unit = await db.Database.BeginWriteAsync(default);
        Assert.True((await db.Users.AddAsync(unit, new NewUser("Scripted", "scripted@example.com"), default)).Added);
        // The total the triggers keep beside the table: the script must create them too.
        Assert.Equal(1, await unit.Connection.ExecuteScalarAsync<long>("SELECT total FROM user_count", transaction: unit.Transaction));
        Assert.False((await db.Users.AddAsync(unit, new NewUser("SCRIPTED", "other@example.com"), default)).Added);
    }

    [Fact]
    public async Task Two_runs_at_once_both_succeed_and_apply_the_schema_once()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var runs = await Task.WhenAll(AppProcess.RunAsync(db.Settings, "migrate"), AppProcess.RunAsync(db.Settings, "migrate"));

        Assert.All(runs, run => Assert.Equal(0, run.ExitCode));
        Assert.Single(runs, run => run.Output.Contains("Applied", StringComparison.Ordinal));
        var status = await db.Migrator.StatusAsync();
        Assert.Equal(TestDatabase.LatestVersion, status.CurrentVersion);
        Assert.Empty(status.Pending);
    }

    // The lock held by the test as another deploy job would hold it (a file lock beside the SQLite file, an advisory
    // lock on PostgreSQL, a named lock on MariaDB).
    [Fact]
    public async Task A_second_migrate_gives_up_with_its_message_and_exit_code_1_while_the_lock_is_held()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        ProcessResult result;
        await using (await db.HoldMigrationLockAsync())
        {
            result = await AppProcess.RunAsync(WithLockTimeout(db, seconds: 1), "migrate");
        }

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(LockHeld, result.Error.Trim());
        Assert.Equal(0, (await db.Migrator.StatusAsync()).CurrentVersion);
    }

    [Fact]
    public async Task A_second_migrate_waits_for_the_lock_and_applies_the_migrations_once_it_is_released()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        Task<ProcessResult> migrate;
        await using (await db.HoldMigrationLockAsync())
        {
            migrate = AppProcess.RunAsync(WithLockTimeout(db, seconds: 60), "migrate");

            // Not a measurement: a moment in which a migrate that did not wait would have changed the schema.
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            Assert.False(migrate.IsCompleted);
            Assert.Equal(0, (await db.Migrator.StatusAsync()).CurrentVersion);
        }

        var result = await migrate;

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Schema is at version {TestDatabase.LatestVersion}.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_held_on_another_database_of_the_same_server_does_not_hold_up_this_one()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        await using var other = await TEngine.CreateDatabaseAsync(servers);
        await using (await other.HoldMigrationLockAsync())
        {
            var result = await AppProcess.RunAsync(WithLockTimeout(db, seconds: 2), "migrate");

            Assert.True(result.ExitCode == 0, result.Error);
        }
    }

    [Fact]
    public async Task Production_app_refuses_to_start_with_pending_migrations()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var result = await AppProcess.RunAsync(db.Settings, "--urls", "http://127.0.0.1:0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Run `UserPages migrate`", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_refuses_production_without_force_and_fills_with_it()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        await db.MigrateAsync();

        var refused = await AppProcess.RunAsync(db.Settings, "seed", "--users", "10");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);

        var seeded = await AppProcess.RunAsync(db.Settings, "seed", "--users", "250", "--force");
        Assert.Equal(0, seeded.ExitCode);
        var again = await AppProcess.RunInEnvironmentAsync("Development", db.Settings, "seed", "--users", "250");
        Assert.Equal(0, again.ExitCode);

        Assert.Equal(500, await db.CountUsersAsync());
    }

    [Fact]
    public async Task Unreachable_database_fails_with_one_clear_line_and_the_trace_only_when_verbose()
    {
        await using var db = await TEngine.CreateDatabaseAsync(servers);
        var result = await AppProcess.RunAsync(db.UnreachableSettings, "migrate");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("migrate failed: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);

        var verbose = await AppProcess.RunAsync(db.UnreachableSettings, "migrate", "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.StartsWith("migrate failed: ", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> WithLockTimeout(TestDatabase db, int seconds) =>
        new(db.Settings) { ["Migrations:LockTimeoutSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class MigrateCommandTestsOnSqlite(TestServers servers) : MigrateCommandTests<SqliteEngine>(servers);

public sealed class MigrateCommandTestsOnPostgres(TestServers servers) : MigrateCommandTests<PostgresEngine>(servers);

public sealed class MigrateCommandTestsOnMySql(TestServers servers) : MigrateCommandTests<MySqlEngine>(servers);
