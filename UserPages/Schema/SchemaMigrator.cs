using System.Reflection;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Logging;
using FluentMigrator.Runner.Processors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Migrations;

namespace UserPages.Schema;

/// <summary>A migration by version and description.</summary>
public sealed record MigrationEntry(long Version, string Description)
{
    public override string ToString() => $"{Version} {Description}";
}

/// <summary>What a migrate run did: the migrations it applied or rolled back, in that order, and the version it left.</summary>
public sealed record MigrationRun(IReadOnlyList<MigrationEntry> Migrations, long Version);

/// <summary>Where the schema stands: the applied version and what is still to run.</summary>
public sealed record MigrationStatus(long CurrentVersion, IReadOnlyList<MigrationEntry> Applied, IReadOnlyList<MigrationEntry> Pending);

/// <summary>
/// Runs the FluentMigrator migrations against the configured database. Every run that changes the schema holds the
/// <see cref="MigrationLock"/>: two deploy jobs at once apply each migration once.
/// </summary>
public sealed class SchemaMigrator(Database database, Assembly migrations, TimeSpan lockTimeout)
{
    /// <summary>SQLite's journal mode is a property of the file: set once, outside any transaction.</summary>
    public const string UseWriteAheadLog = """
        PRAGMA journal_mode = WAL
        """;

    /// <summary>
    /// Whether FluentMigrator's version table is complete: it is built in steps, the Description column last, and
    /// until then no migration can have been recorded.
    /// </summary>
    public const string VersionTableIsComplete = """
        SELECT 1 FROM pragma_table_info('VersionInfo') WHERE name = 'Description'
        """;

    /// <summary>Every migration this build knows, oldest first.</summary>
    public static IReadOnlyList<long> Versions { get; } = [.. typeof(CreateUsersTable).Assembly.GetTypes()
        .Select(type => type.GetCustomAttribute<FluentMigrator.MigrationAttribute>()?.Version)
        .OfType<long>()
        .Order()];

    /// <summary>The newest migration this build knows: the version a current database is at.</summary>
    public static long LatestVersion => Versions[^1];

    public SchemaMigrator(Database database, IOptions<MigrationOptions> options)
        : this(database, typeof(CreateUsersTable).Assembly, options.Value.LockTimeout)
    {
    }

    /// <summary>Applies every pending migration; answers those applied, in order (none when already current).</summary>
    public async Task<MigrationRun> UpAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await CreateSqliteFileAsync(cancellationToken);
        }

        await using var migrationLock = await MigrationLock.AcquireAsync(database, lockTimeout, cancellationToken);
        using var runner = CreateRunner(database.UnpooledConnectionString);
        var pending = Read(runner).Pending;
        runner.GetRequiredService<IMigrationRunner>().MigrateUp();
        return new MigrationRun(pending, Read(runner).CurrentVersion);
    }

    /// <summary>Rolls back every applied migration above <paramref name="version"/>; answers those rolled back, newest first.</summary>
    public async Task<MigrationRun> DownAsync(long version, CancellationToken cancellationToken)
    {
        await using var migrationLock = await MigrationLock.AcquireAsync(database, lockTimeout, cancellationToken);
        using var runner = CreateRunner(database.UnpooledConnectionString);
        var status = Read(runner);
        var known = runner.GetRequiredService<IMigrationInformationLoader>().LoadMigrations();
        if (version != 0 && !known.ContainsKey(version))
        {
            throw new InvalidOperationException($"There is no migration {version}; use 0 or one of: {string.Join(", ", known.Keys)}.");
        }

        runner.GetRequiredService<IMigrationRunner>().MigrateDown(version);
        return new MigrationRun(status.Applied.Where(m => m.Version > version).Reverse().ToList(), Read(runner).CurrentVersion);
    }

    /// <summary>Reads the schema state without changing anything (a missing SQLite file reads as empty).</summary>
    public Task<MigrationStatus> StatusAsync()
    {
        using var runner = CreateRunner(ReadOnlyConnectionString());
        return Task.FromResult(Read(runner));
    }

    /// <summary>
    /// Writes the SQL the pending migrations would run, running none of it; with nothing pending, an SQL comment saying
    /// so, because an empty script cannot be told from a failed one.
    /// </summary>
    public async Task ScriptAsync(TextWriter output)
    {
        using var runner = CreateRunner(ReadOnlyConnectionString(), previewTo: output);
        var migrations = runner.GetRequiredService<IMigrationRunner>();
        if (!migrations.HasMigrationsToApplyUp())
        {
            await output.WriteLineAsync($"-- Nothing to apply: every migration this build knows is applied (version {Read(runner).CurrentVersion}).");
            return;
        }

        migrations.MigrateUp();
    }

    /// <summary>Creates the SQLite file (and its folder) and puts it in WAL mode, a property of the file set once.</summary>
    internal async Task CreateSqliteFileAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate };
        if (Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = UseWriteAheadLog;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A connection under which status and script read the current version without changing anything. FluentMigrator
    // would create a missing version table, so a SQLite database that does not exist yet, or has no complete version
    // table yet (an empty file, or a first migrate killed before it got that far), reads as an empty one.
    private string ReadOnlyConnectionString()
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return database.UnpooledConnectionString;
        }

        var builder = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly };
        if (!File.Exists(builder.DataSource) || !HasCompleteVersionTable(builder.DataSource))
        {
            builder.Mode = SqliteOpenMode.Memory;
        }

        return builder.ToString();
    }

    // Looked at through a read-write (never creating) connection: only that one may roll back a hot journal left by
    // a process killed mid-write, which is restoring the last committed state, not changing it.
    private static bool HasCompleteVersionTable(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = VersionTableIsComplete;
        return command.ExecuteScalar() is not null;
    }

    private static MigrationStatus Read(ServiceProvider runner)
    {
        var versions = runner.GetRequiredService<IVersionLoader>();
        versions.LoadVersionInfo();
        var all = runner.GetRequiredService<IMigrationInformationLoader>().LoadMigrations()
            .Select(m => new MigrationEntry(m.Key, m.Value.Description ?? m.Value.Migration.GetType().Name))
            .ToList();
        var applied = all.Where(m => versions.VersionInfo.HasAppliedMigration(m.Version)).ToList();
        var pending = all.Where(m => !versions.VersionInfo.HasAppliedMigration(m.Version)).ToList();
        return new MigrationStatus(versions.VersionInfo.Latest(), applied, pending);
    }

    /// <summary>How long one migration statement may run.</summary>
    public static readonly TimeSpan StatementTimeout = TimeSpan.FromHours(1);

    private ServiceProvider CreateRunner(string connectionString, TextWriter? previewTo = null)
    {
        var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                _ = database.Provider switch
                {
                    DatabaseProvider.Sqlite => runner.AddSQLite(),
                    DatabaseProvider.Postgres => runner.AddPostgres(),
                    _ => runner.AddMySql5(),
                };
                runner.WithGlobalConnectionString(connectionString).ScanIn(migrations).For.Migrations();
            })
            .Configure<ProcessorOptions>(options =>
            {
                options.PreviewOnly = previewTo is not null;
                // Not the drivers' 30 s: a migration that fills an index over a million users runs for minutes.
                options.Timeout = StatementTimeout;
            })
            .AddLogging(logging =>
            {
                // The CLI prints its own summary; FluentMigrator speaks only to write the preview script.
                logging.ClearProviders();
                if (previewTo is not null)
                {
                    logging.AddProvider(new SqlScriptFluentMigratorLoggerProvider(
                        previewTo, new SqlScriptFluentMigratorLoggerOptions { ShowSql = true }, false));
                }
            });
        return services.BuildServiceProvider(validateScopes: false);
    }
}
