using System.Diagnostics;
using Dapper;
using UserPages.Data;
using UserPages.Schema;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// Migrations that fail or are killed: a failure midway leaves the version and the schema unchanged and says why;
/// a <c>migrate</c> killed with SIGKILL at any moment leaves a consistent schema, and running it again completes. Each
/// test has a fresh, empty file of its own: several start from a database in a state of their own making.
/// </summary>
public sealed class MigrationFaultTests(TestServers servers)
{

    [Fact]
    public async Task A_migration_failing_midway_changes_neither_version_nor_schema_and_names_the_reason()
    {
        await using var db = await SqliteEngine.CreateDatabaseAsync(servers);
        await db.MigrateAsync();
        var schemaBefore = await SchemaAsync(db);
        var failing = db.MigratorFor(typeof(FailsMidway).Assembly);

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => failing.UpAsync(TestContext.Current.CancellationToken));

        Assert.Contains(FailsMidway.Reason, exception.ToString(), StringComparison.Ordinal);
        Assert.Equal(TestDatabase.LatestVersion, (await db.Migrator.StatusAsync()).CurrentVersion);
        Assert.Equal(schemaBefore, await SchemaAsync(db));
    }

    [Fact]
    public async Task The_migrate_command_failing_midway_exits_non_zero_with_the_reason_and_changes_nothing()
    {
        await using var db = await SqliteEngine.CreateDatabaseAsync(servers);
        // A leftover index with the name the migration creates after its table: it fails after the first statement.
        await ExecuteAsync(db, "CREATE TABLE leftover (name TEXT); CREATE INDEX ux_users_email ON leftover (name);");
        var schemaBefore = await SchemaAsync(db);

        var result = await AppProcess.RunAsync(db.Settings, "migrate");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("migrate failed: ", line, StringComparison.Ordinal);
        Assert.Contains("ux_users_email already exists", line, StringComparison.Ordinal);
        Assert.Equal(0, (await db.Migrator.StatusAsync()).CurrentVersion);
        Assert.Equal(schemaBefore, (await SchemaAsync(db)).Where(name => name != "table VersionInfo" && name != "index UC_Version"));

        await ExecuteAsync(db, "DROP TABLE leftover;");
        Assert.Equal(0, (await AppProcess.RunAsync(db.Settings, "migrate")).ExitCode);
        Assert.Equal(TestDatabase.LatestVersion, (await db.Migrator.StatusAsync()).CurrentVersion);
    }

    /// <summary>Schema objects, the migration that creates each, and the one that drops it again, if any.</summary>
    private static readonly (long Version, string Object, long? DroppedBy)[] ObjectCreatedBy =
    [
        (2026112501, "table users", null),
        (2026112501, "index ix_users_created_at_id", 2026120401),
        (2026112502, "table data_protection_keys", null),
        (2026112503, "table user_count", null),
        (2026112505, "table users_search", null),
        (2026112903, "table users_out_of_order", 2026120401),
        (2026120501, "table mail_outbox", null),
        (2026120601, "table pending_signups", null),
        (2026120601, "table entry_tokens", null),
        (2026120601, "table mail_throttle", null),
        (2026120601, "index ix_mail_outbox_recipient", null),
    ];

    [Fact]
    public async Task Migrate_killed_at_any_moment_leaves_a_consistent_schema_and_a_rerun_completes()
    {
        var outcomes = new List<string>();
        foreach (var delay in new[] { 0, 2, 5, 10, 20, 40, 80, 160 })
        {
            await using var db = await SqliteEngine.CreateDatabaseAsync(servers);
            var file = db.SqliteFile;
            using (var process = Process.Start(AppProcess.StartInfo(db.Settings, "Production", "migrate"))!)
            {
                // The file appears when migrate starts its work; the kill lands that long after.
                while (!File.Exists(file) && !process.HasExited)
                {
                    await Task.Delay(1);
                }

                await Task.Delay(delay);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                outcomes.Add(process.ExitCode == 0 ? "finished" : "killed");
            }

            // Whatever the moment, each migration is all or nothing: an object exists exactly when the migration that
            // creates it is recorded and the one that drops it is not (migrations run one transaction each, so a kill
            // may land between two of them).
            var applied = (await db.Migrator.StatusAsync()).Applied.Select(m => m.Version).ToHashSet();
            var schema = await SchemaAsync(db);
            foreach (var (version, name, droppedBy) in ObjectCreatedBy)
            {
                var expected = applied.Contains(version) && !(droppedBy is { } drop && applied.Contains(drop));
                Assert.True(expected == schema.Contains(name),
                    $"Killed {delay} ms in: migrations {string.Join(", ", applied.Order())} recorded, {name} {(schema.Contains(name) ? "present" : "absent")}.");
            }

            var rerun = await AppProcess.RunAsync(db.Settings, "migrate");
            Assert.True(rerun.ExitCode == 0, rerun.Error);
            Assert.Equal(TestDatabase.LatestVersion, (await db.Migrator.StatusAsync()).CurrentVersion);
            await using var unit = await db.Database.BeginWriteAsync(default);
            Assert.True((await db.Users.AddAsync(unit, new NewUser("after-kill", "after-kill@example.com"), default)).Added);
        }

        Assert.Contains("killed", outcomes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CREATE TABLE \"VersionInfo\" (\"Version\" INTEGER NOT NULL);")]
    public async Task Status_reads_a_database_left_by_a_first_migrate_killed_early_as_empty_and_changes_nothing(string leftBehind)
    {
        await using var db = await SqliteEngine.CreateDatabaseAsync(servers);
        var file = db.SqliteFile;
        await File.WriteAllBytesAsync(file, []);
        if (leftBehind.Length > 0)
        {
            await ExecuteAsync(db, leftBehind);
        }

        var schemaBefore = await SchemaAsync(db);

        var result = await AppProcess.RunAsync(db.Settings, "migrate", "status");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Current version: 0", result.Output, StringComparison.Ordinal);
        Assert.Equal(schemaBefore, await SchemaAsync(db));
    }

    private static Task<List<string>> SchemaAsync(TestDatabase db) =>
        db.QueryAsync<string>("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name; ");

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(db.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql);
    }
}
