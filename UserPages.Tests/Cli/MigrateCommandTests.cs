using Dapper;
using MySqlConnector;
using Npgsql;
using UserPages.Data;
using UserPages.Schema;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>`migrate` as operators run it: the built app as a child process against a database of its own.</summary>
public abstract class MigrateCommandTests<TEngine> : IAsyncLifetime
    where TEngine : ITestEngine
{
    private TestDatabase _db = null!;

    /// <summary>Settings naming a database of this engine that cannot be reached.</summary>
    protected abstract IReadOnlyDictionary<string, string> UnreachableSettings { get; }

    protected TestDatabase Db => _db;

    public async Task InitializeAsync() => _db = await TEngine.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Up_applies_each_migration_once_and_again_is_a_no_op()
    {
        var first = await AppProcess.RunAsync(_db.Settings, "migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Applied 2026112501 Create users table", first.Output, StringComparison.Ordinal);
        Assert.Contains($"Schema is at version {SchemaMigrator.LatestVersion}.", first.Output, StringComparison.Ordinal);
        Assert.Equal(SchemaMigrator.LatestVersion, (await _db.Migrator.StatusAsync()).CurrentVersion);

        var again = await AppProcess.RunAsync(_db.Settings, "migrate", "up");

        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("Applied", again.Output, StringComparison.Ordinal);
        Assert.Contains($"Schema is up to date at version {SchemaMigrator.LatestVersion}.", again.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Status_lists_pending_then_applied_migrations()
    {
        var before = await AppProcess.RunAsync(_db.Settings, "migrate", "status");
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("Current version: 0", before.Output, StringComparison.Ordinal);
        Assert.Matches("Pending:\\s+2026112501 Create users table", before.Output);

        await _db.Migrator.UpAsync(default);
        var after = await AppProcess.RunAsync(_db.Settings, "migrate", "status");

        Assert.Contains($"Current version: {SchemaMigrator.LatestVersion}", after.Output, StringComparison.Ordinal);
        Assert.Matches("Pending:\\s+\\(none\\)", after.Output);
    }

    [SkippableFact]
    public async Task Down_to_zero_removes_the_schema_and_up_brings_it_back()
    {
        await _db.Migrator.UpAsync(default);

        var down = await AppProcess.RunAsync(_db.Settings, "migrate", "down", "--to", "0");

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("Rolled back 2026112501 Create users table", down.Output, StringComparison.Ordinal);
        Assert.Contains("Schema is at version 0.", down.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await _db.Migrator.StatusAsync()).CurrentVersion);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(async () =>
        {
            await using var unit = await _db.Database.BeginReadAsync(default);
            await _db.Users.CountAsync(unit, default);
        });

        var up = await AppProcess.RunAsync(_db.Settings, "migrate");
        Assert.Equal(0, up.ExitCode);
        await using var read = await _db.Database.BeginReadAsync(default);
        Assert.Equal(0, await _db.Users.CountAsync(read, default));
    }

    [SkippableFact]
    public async Task Down_to_an_unknown_version_fails_with_one_line_and_changes_nothing()
    {
        var known = string.Join(", ", (await _db.Migrator.UpAsync(default)).Migrations.Select(m => m.Version));

        var result = await AppProcess.RunAsync(_db.Settings, "migrate", "down", "--to", "123");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"migrate down failed: There is no migration 123; use 0 or one of: {known}.", result.Error.Trim());
        Assert.Equal(SchemaMigrator.LatestVersion, (await _db.Migrator.StatusAsync()).CurrentVersion);
    }

    [SkippableFact]
    public async Task Script_prints_the_sql_and_changes_nothing()
    {
        var result = await AppProcess.RunAsync(_db.Settings, "migrate", "script");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CREATE TABLE", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ux_users_username_ci", result.Output, StringComparison.Ordinal);
        var status = await _db.Migrator.StatusAsync();
        Assert.Equal(0, status.CurrentVersion);
        Assert.NotEmpty(status.Pending);
    }

    // The script is for operators who apply SQL themselves: run as printed, in one go, it must build the schema
    // `migrate up` builds, version table included, triggers and all.
    [SkippableFact]
    public async Task Script_run_as_printed_builds_the_schema_migrate_up_would()
    {
        var script = await AppProcess.RunAsync(_db.Settings, "migrate", "script");
        Assert.Equal(0, script.ExitCode);

        if (_db.Provider == DatabaseProvider.Sqlite)
        {
            await _db.Migrator.CreateSqliteFileAsync(default);
        }

        await using (var connection = await _db.Database.OpenAsync(default))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = script.Output;
            await command.ExecuteNonQueryAsync();
        }

        var status = await _db.Migrator.StatusAsync();
        Assert.Equal(SchemaMigrator.LatestVersion, status.CurrentVersion);
        Assert.Empty(status.Pending);
        await using var unit = await _db.Database.BeginWriteAsync(default);
        Assert.True((await _db.Users.AddAsync(unit, new NewUser("Scripted", "scripted@example.com"), default)).Added);
        Assert.Equal(1, await _db.Users.CountAsync(unit, default));
        Assert.False((await _db.Users.AddAsync(unit, new NewUser("SCRIPTED", "other@example.com"), default)).Added);
    }

    [SkippableFact]
    public async Task Two_runs_at_once_both_succeed_and_apply_the_schema_once()
    {
        var runs = await Task.WhenAll(AppProcess.RunAsync(_db.Settings, "migrate"), AppProcess.RunAsync(_db.Settings, "migrate"));

        Assert.All(runs, run => Assert.Equal(0, run.ExitCode));
        Assert.Single(runs, run => run.Output.Contains("Applied", StringComparison.Ordinal));
        var status = await _db.Migrator.StatusAsync();
        Assert.Equal(SchemaMigrator.LatestVersion, status.CurrentVersion);
        Assert.Empty(status.Pending);
    }

    [SkippableFact]
    public async Task Production_app_refuses_to_start_with_pending_migrations()
    {
        var result = await AppProcess.RunAsync(_db.Settings, "--urls", "http://127.0.0.1:0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Run `UserPages migrate`", result.Output + result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Seed_refuses_production_without_force_and_fills_with_it()
    {
        await _db.Migrator.UpAsync(default);

        var refused = await AppProcess.RunAsync(_db.Settings, "seed", "--users", "10");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);

        var seeded = await AppProcess.RunAsync(_db.Settings, "seed", "--users", "250", "--force");
        Assert.Equal(0, seeded.ExitCode);
        var again = await AppProcess.RunInEnvironmentAsync("Development", _db.Settings, "seed", "--users", "250");
        Assert.Equal(0, again.ExitCode);

        await using var unit = await _db.Database.BeginReadAsync(default);
        Assert.Equal(500, await _db.Users.CountAsync(unit, default));
    }

    [SkippableFact]
    public async Task Unreachable_database_fails_with_one_clear_line_and_the_trace_only_when_verbose()
    {
        var result = await AppProcess.RunAsync(UnreachableSettings, "migrate");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("migrate failed: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);

        var verbose = await AppProcess.RunAsync(UnreachableSettings, "migrate", "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.StartsWith("migrate failed: ", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }
}

public sealed class MigrateCommandTestsOnSqlite : MigrateCommandTests<SqliteEngine>
{
    protected override IReadOnlyDictionary<string, string> UnreachableSettings => new Dictionary<string, string>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Users"] = "Data Source=/proc/no-such-dir/users.db",
    };

    [Fact]
    public async Task Unknown_provider_fails_with_one_clear_line()
    {
        var settings = new Dictionary<string, string> { ["Database:Provider"] = "oracle", ["ConnectionStrings:Users"] = "x" };

        var result = await AppProcess.RunAsync(settings, "migrate", "status");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("migrate status failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("Database:Provider", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>What only a database server has: credentials.</summary>
public abstract class ServerMigrateCommandTests<TEngine> : MigrateCommandTests<TEngine>
    where TEngine : ITestEngine
{
    /// <summary>Settings naming this test's database with a wrong password.</summary>
    protected abstract IReadOnlyDictionary<string, string> WrongPasswordSettings { get; }

    [SkippableFact]
    public async Task Wrong_credentials_fail_with_one_line_that_says_so()
    {
        var result = await AppProcess.RunAsync(WrongPasswordSettings, "migrate", "status");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("migrate status failed: ", line, StringComparison.Ordinal);
        Assert.Matches("(?i)password authentication failed|access denied", line);
        Assert.DoesNotContain("wrong-password", line, StringComparison.Ordinal);
    }

    protected static IReadOnlyDictionary<string, string> Settings(DatabaseProvider provider, string connectionString) =>
        new Dictionary<string, string> { ["Database:Provider"] = provider.ToString(), ["ConnectionStrings:Users"] = connectionString };
}

public sealed class MigrateCommandTestsOnPostgres : ServerMigrateCommandTests<PostgresEngine>
{
    protected override IReadOnlyDictionary<string, string> UnreachableSettings =>
        Settings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Port = LocalServer.FreePort() }.ConnectionString);

    protected override IReadOnlyDictionary<string, string> WrongPasswordSettings =>
        Settings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Password = "wrong-password" }.ConnectionString);

    [SkippableFact]
    public async Task Up_caps_the_search_indexes_pending_lists_and_down_restores_the_default()
    {
        await Db.Migrator.UpAsync(default);
        Assert.Equal(["gin_pending_list_limit=64", "gin_pending_list_limit=64"], await SearchIndexOptionsAsync());

        var down = await AppProcess.RunAsync(Db.Settings, "migrate", "down", "--to", "2026112505");

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("Schema is at version 2026112505.", down.Output, StringComparison.Ordinal);
        Assert.Equal(["", ""], await SearchIndexOptionsAsync());
    }

    private async Task<List<string>> SearchIndexOptionsAsync()
    {
        await using var unit = await Db.Database.BeginReadAsync(default);
        var options = await unit.Connection.QueryAsync<string>(
            "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class WHERE relname IN ('ix_users_username_trgm', 'ix_users_email_trgm')",
            transaction: unit.Transaction);
        return options.ToList();
    }
}

public sealed class MigrateCommandTestsOnMySql : ServerMigrateCommandTests<MySqlEngine>
{
    protected override IReadOnlyDictionary<string, string> UnreachableSettings =>
        Settings(DatabaseProvider.MySql, new MySqlConnectionStringBuilder(Db.ConnectionString) { Port = (uint)LocalServer.FreePort() }.ConnectionString);

    protected override IReadOnlyDictionary<string, string> WrongPasswordSettings =>
        Settings(DatabaseProvider.MySql, new MySqlConnectionStringBuilder(Db.ConnectionString) { Password = "wrong-password" }.ConnectionString);
}
