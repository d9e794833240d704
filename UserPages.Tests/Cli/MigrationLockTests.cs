using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// The migrate lock, held by the test as another deploy job would hold it (a file lock beside the SQLite file, an
/// advisory lock on PostgreSQL, a named lock on MariaDB): a second <c>migrate</c>, a real process, waits for it, and
/// gives up with its message and exit code 1 when it is not released in time.
/// </summary>
public abstract class MigrationLockTests<TEngine>(TestServers servers) : IAsyncLifetime
    where TEngine : ITestEngine
{
    private const string Held = "migrate failed: Another migrate run holds the migration lock.";

    private TestDatabase _db = null!;

    // A fresh, unmigrated database for each test; a missing engine's skip thrown here counts as a skip.
    public async ValueTask InitializeAsync() => _db = await TEngine.CreateDatabaseAsync(servers);

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_second_migrate_gives_up_with_its_message_and_exit_code_1_while_the_lock_is_held()
    {
        ProcessResult result;
        await using (await _db.HoldMigrationLockAsync())
        {
            result = await AppProcess.RunAsync(WithLockTimeout(seconds: 2), "migrate");
        }

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Held, result.Error.Trim());
        Assert.Equal(0, (await _db.Migrator.StatusAsync()).CurrentVersion);
    }

    [Fact]
    public async Task A_second_migrate_waits_for_the_lock_and_applies_the_migrations_once_it_is_released()
    {
        Task<ProcessResult> migrate;
        await using (await _db.HoldMigrationLockAsync())
        {
            migrate = AppProcess.RunAsync(WithLockTimeout(seconds: 60), "migrate");

            // Not a measurement: a moment in which a migrate that did not wait would have changed the schema.
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            Assert.False(migrate.IsCompleted);
            Assert.Equal(0, (await _db.Migrator.StatusAsync()).CurrentVersion);
        }

        var result = await migrate;

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Schema is at version {TestDatabase.LatestVersion}.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_held_on_another_database_of_the_same_server_does_not_hold_up_this_one()
    {
        await using var other = await TEngine.CreateDatabaseAsync(servers);
        await using (await other.HoldMigrationLockAsync())
        {
            var result = await AppProcess.RunAsync(WithLockTimeout(seconds: 2), "migrate");

            Assert.True(result.ExitCode == 0, result.Error);
        }
    }

    private Dictionary<string, string> WithLockTimeout(int seconds) =>
        new(_db.Settings) { ["Migrations:LockTimeoutSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class MigrationLockTestsOnSqlite(TestServers servers) : MigrationLockTests<SqliteEngine>(servers);

public sealed class MigrationLockTestsOnPostgres(TestServers servers) : MigrationLockTests<PostgresEngine>(servers);

public sealed class MigrationLockTestsOnMySql(TestServers servers) : MigrationLockTests<MySqlEngine>(servers);
