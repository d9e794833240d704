using System.Data.Common;
using System.Runtime.CompilerServices;
using FluentMigrator.Runner;
using Microsoft.Data.Sqlite;

namespace UserPages.Data;

/// <summary>The embedded default: one file, WAL journal, durable commits.</summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteCantOpen = 14;

    // synchronous=FULL: a signup answered with a redirect survives a power cut. busy_timeout: wait inside SQLite for
    // the write lock instead of Microsoft.Data.Sqlite's 150 ms sleep-and-retry loop.
    private const string ConnectionPragmas = """
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        PRAGMA foreign_keys = ON;
        """;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string InsertUserSql => """
        INSERT INTO users (username, email) VALUES (@Username, @Email) RETURNING id
        """;

    public override string SchemaVersionSql => """SELECT MAX(Version) FROM "VersionInfo" """;

    // Committed, this writes pages to the WAL and leaves the schema as it was: fails on a read-only or full disk.
    public override string WriteProbeSql => "CREATE TABLE healthz_write_probe (id INTEGER); DROP TABLE healthz_write_probe;";

    public override void ClearPool() => SqliteConnection.ClearAllPools();

    public override string NormalizeConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new InvalidOperationException("The SQLite connection string has no Data Source.");
        }

        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        // Only migrate creates the database file (see PrepareDatabaseAsync). A web app whose file was deleted must
        // fail loudly rather than quietly start a new, empty database beside the lost one.
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return builder.ToString();
    }

    // The FTS5 trigram index (migration IndexUserSearch) finds candidates for terms of three characters or more; a
    // shorter term has no trigram to look up, so it would fall back to a scan; the listing page refuses such terms
    // (IndexModel, docs/performance.md).
    public override string? SearchCandidatesSql(string search) =>
        HasTrigram(search) ? "SELECT rowid AS candidate_id FROM users_search WHERE users_search MATCH @SearchIndexQuery" : null;

    // One quoted FTS5 string: with the trigram tokenizer it matches the term as a case-insensitive substring of either
    // column, every character literal.
    public override string? SearchIndexQuery(string search) =>
        HasTrigram(search) ? "\"" + search.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : null;

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    // Pooled connections keep their native handle, and the pragmas stay set on it: run them once per handle rather
    // than on every open (measured: ~10 µs of the ~25 µs an open, BEGIN and one small query take).
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _preparedHandles = [];

    public override async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        if (_preparedHandles.TryGetValue(handle, out _))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        _preparedHandles.TryAdd(handle, handle);
    }

    // Writers begin IMMEDIATE so they take the write lock up front (no deadlock-prone upgrade from a read lock);
    // readers begin DEFERRED so they never wait for writers under WAL.
    public override ValueTask<DbTransaction> BeginTransactionAsync(DbConnection connection, bool forWrite, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        EnsureFileStillThere(sqlite);
        return ValueTask.FromResult<DbTransaction>(sqlite.BeginTransaction(deferred: !forWrite));
    }

    // A pooled connection keeps the file it opened. If that file was deleted or moved away, SQLite in WAL mode goes
    // on committing into it, and every signup answered from then on would be lost with the unlinked file. One stat
    // per unit of work turns that into an error (503, pools dropped) instead.
    private static void EnsureFileStillThere(SqliteConnection connection)
    {
        var file = connection.DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && !File.Exists(file))
        {
            throw new SqliteException("SQLite Error 14: 'the database file is missing; it was deleted or moved while open'.", SqliteCantOpen);
        }
    }

    public override bool IsUniqueViolation(DbException exception, out string constraint)
    {
        // "UNIQUE constraint failed: users.email" or "... index 'ux_users_username_ci'": names, never values.
        constraint = exception.Message;
        return exception is SqliteException { SqliteErrorCode: SqliteConstraint } sqlite
            && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;
    }

    public override void AddMigrationProcessor(IMigrationRunnerBuilder runner) => runner.AddSQLite();

    public override async Task<IAsyncDisposable> AcquireMigrationLockAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = DatabaseFile(connectionString) + ".migrate.lock";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix: released by the kernel even if the process is killed.
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return stream;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IOException exception)
            {
                throw new TimeoutException("Another migrate run holds the migration lock.", exception);
            }
        }
    }

    public override async Task PrepareDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabaseFile(connectionString));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // WAL is a property of the file, set once; it cannot change inside a transaction.
        var create = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWriteCreate };
        await using var connection = new SqliteConnection(create.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override string? ReadOnlyConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly };
        // A database that does not exist yet, or has no complete version table yet (an empty file, or a first migrate
        // killed before it got that far), reads as an empty one: FluentMigrator would otherwise try to create it.
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
        // FluentMigrator builds its version table in steps, the Description column last; until then no migration
        // can have been recorded, and a read-only FluentMigrator would try to finish the table and fail.
        command.CommandText = "SELECT 1 FROM pragma_table_info('VersionInfo') WHERE name = 'Description'";
        return command.ExecuteScalar() is not null;
    }

    private static string DatabaseFile(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;
}
