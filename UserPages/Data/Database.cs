using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using UserPages.Telemetry;

namespace UserPages.Data;

/// <summary>The connection factory: opens connections to the configured engine, ready for use, and begins units of work on them.</summary>
public sealed class Database
{
    // Pool defaults for several instances on one server (PostgreSQL allows 100 connections and MariaDB 151 unless told
    // otherwise): at most 20 per instance, and a 5-second connect timeout so a database that is down answers 503
    // promptly. Settings in the configured string come later and win.
    //
    // PostgreSQL's pooled sessions are kept as they are, statements prepared once per session: the kept listing's one
    // read costs the server about 40 % less (docs/performance.md#postgresql-with-the-listing-kept). No Reset On Close
    // drops the DISCARD ALL sent with each reuse, which is safe because no pooled session carries state of its own: the
    // app sets nothing per session (SET LOCAL only), and the migrate lock and the migrations run on unpooled
    // connections (PooledSessionTests). Max Auto Prepare keeps the parse of each statement run five times on a session.
    private const string PostgresDefaults = "Maximum Pool Size=20;Timeout=5;Keepalive=30;No Reset On Close=true;Max Auto Prepare=64";

    // A prepared statement is still planned for its values on every run, as an unprepared one is: otherwise PostgreSQL
    // may settle on one generic plan after five runs, and a search would lose its plan for rare and for common terms.
    // Prepended, so a plan_cache_mode in the configured Options still wins.
    private const string PostgresSessionOptions = "-c plan_cache_mode=force_custom_plan";
    private const string MySqlDefaults = "Maximum Pool Size=20;Connection Timeout=5";

    // synchronous=FULL: a signup answered with a redirect survives a power cut. busy_timeout: wait inside SQLite for
    // the write lock instead of Microsoft.Data.Sqlite's 150 ms sleep-and-retry loop.
    private const string SqlitePragmas = """
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        PRAGMA foreign_keys = ON;
        """;

    // SQLite's primary result codes (sqlite3.h).
    private const int SqliteError = 1;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMemory = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteInterrupt = 9;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;
    private const int SqliteTooBig = 18;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;
    private const int SqliteNotADatabase = 26;

    /// <summary>
    /// Run first in every SQLite write unit. When another connection has changed the schema (a deploy-time migrate),
    /// the first statement to notice reloads it, and SQLite reported a UNIQUE violation met by that statement as
    /// "no such table: users" (a 503 instead of a 409; reproduced on SQLite 3.40 and 3.53, docs/reliability.md). This
    /// read notices it instead; under the write lock the schema cannot change again before commit.
    /// </summary>
    public const string CatchUpWithSchema = """
        SELECT 1 FROM sqlite_schema LIMIT 0
        """;

    // Pooled SQLite connections keep their native handle, and the pragmas stay set on it: run them once per handle
    // rather than on every open (measured: ~10 µs of the ~25 µs an open, BEGIN and one small query take).
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _preparedSqliteHandles = [];

    private readonly string _dbSystem;

    /// <param name="options">The engine and its connection string.</param>
    /// <param name="contentRoot">What a relative SQLite file name is relative to; the working directory when null.</param>
    public Database(DatabaseOptions options, string? contentRoot = null)
    {
        Provider = options.Provider;
        Dialect = SqlDialect.For(Provider);
        _dbSystem = Provider switch
        {
            DatabaseProvider.Sqlite => "sqlite",
            DatabaseProvider.Postgres => "postgresql",
            _ => "mysql",
        };
        ConnectionString = Provider switch
        {
            DatabaseProvider.Sqlite => SqliteConnectionString(options.ConnectionString, contentRoot ?? Directory.GetCurrentDirectory()),
            DatabaseProvider.Postgres => PostgresConnectionString(options.ConnectionString),
            // created_at holds UTC; read it back as such.
            DatabaseProvider.MySql => new MySqlConnectionStringBuilder($"{MySqlDefaults};{options.ConnectionString}") { DateTimeKind = MySqlDateTimeKind.Utc }.ConnectionString,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
        };
        UnpooledConnectionString = Provider switch
        {
            DatabaseProvider.Postgres => new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString,
            DatabaseProvider.MySql => new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString,
            _ => ConnectionString,
        };
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The connection string as used: an absolute SQLite path, the pool defaults for a server.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// For a session whose state must end with it (a session lock, the migrations): on a server engine its connection
    /// is never pooled, so nothing it leaves behind reaches a unit of work.
    /// </summary>
    public string UnpooledConnectionString { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>
    /// A failure of the database server or of the way to it (cannot connect, timed out, locked, disk full or failing,
    /// shutting down, read-only): the request may well succeed when retried, so callers answer 503 and track it as an
    /// incident. What a statement got wrong (a value, a missing table) is not one: see <see cref="IsRequestValueError"/>.
    /// </summary>
    public static bool IsFailure(Exception? exception) => exception switch
    {
        TimeoutException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteNoMemory or SqliteReadOnly
            or SqliteInterrupt or SqliteIoError or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteProtocol or SqliteNotADatabase,
        // Server errors by SQLSTATE class: 08 connection, 28 authorization, 3D no such database, 40 deadlock or
        // serialization, 53 insufficient resources (disk, memory, connections), 57 shutdown or cancelled by timeout,
        // 58 I/O; 25006 a read-only standby; 55P03 a lock not granted in time. And a statement prepared on a session
        // before a migration changed the columns it returns ("cached plan must not change result type"): Npgsql drops
        // it, and the pool is cleared, so it runs again prepared afresh.
        PostgresException postgres => postgres.SqlState[..2] is "08" or "28" or "3D" or "40" or "53" or "57" or "58"
            || postgres.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.LockNotAvailable
            || postgres is { SqlState: PostgresErrorCodes.FeatureNotSupported, Routine: "RevalidateCachedQuery" },
        // Anything else Npgsql throws came from the connection itself (I/O, the pool), not from the server.
        NpgsqlException => true,
        // MySqlConnector lets a connection that breaks during BEGIN fail with the socket's own exception, unwrapped; the
        // app's only outgoing sockets are to the database (Kestrel reports a client that went away differently).
        SocketException or MySqlEndOfStreamException => true,
        // Without a SQLSTATE, MySqlConnector speaks for the connection (I/O, the pool, a timeout), not for the server.
        MySqlException mySql => mySql.SqlState is null || mySql.IsTransient || mySql.ErrorCode is MySqlErrorCode.AccessDenied
            or MySqlErrorCode.UnknownDatabase or MySqlErrorCode.ServerShutdown or MySqlErrorCode.QueryInterrupted
            or MySqlErrorCode.OptionPreventsStatement or MySqlErrorCode.CannotExecuteInReadOnlyTransaction
            or MySqlErrorCode.DiskFull or MySqlErrorCode.RecordFileFull or MySqlErrorCode.ErrorOnWrite,
        _ => false,
    };

    /// <summary>
    /// The database refused a value a statement carried (a malformed string, a value out of range, a search term the
    /// index cannot parse): the request was at fault, not the database, so it is a 400 and never an incident. The
    /// validators refuse such values first; this is the defence behind them.
    /// </summary>
    public static bool IsRequestValueError(Exception? exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteTooBig or SqliteMismatch or SqliteRange
            // FTS5 reports a MATCH it cannot parse as a plain SQLITE_ERROR; its messages are its own.
            || (sqlite.SqliteErrorCode == SqliteError && (sqlite.Message.Contains("fts5:", StringComparison.Ordinal)
                || sqlite.Message.Contains("unterminated string", StringComparison.Ordinal))),
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal),
        MySqlException mySql => mySql.SqlState?.StartsWith("22", StringComparison.Ordinal) == true || mySql.ErrorCode
            is MySqlErrorCode.TruncatedWrongValueForField or MySqlErrorCode.InvalidCharacterString or MySqlErrorCode.DataTooLong
            or MySqlErrorCode.WarningDataOutOfRange or MySqlErrorCode.TruncatedWrongValue,
        _ => false,
    };

    /// <summary>Drops idle pooled connections, so the next open reaches the database afresh after a fault.</summary>
    public void ClearPool()
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite: SqliteConnection.ClearAllPools(); break;
            case DatabaseProvider.Postgres: NpgsqlConnection.ClearAllPools(); break;
            case DatabaseProvider.MySql: MySqlConnection.ClearAllPools(); break;
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnection(ConnectionString),
            DatabaseProvider.Postgres => new NpgsqlConnection(ConnectionString),
            _ => new MySqlConnection(ConnectionString),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection sqlite)
            {
                await SetPragmasOnceAsync(sqlite, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A unit of work that only reads: never waits for writers.</summary>
    public Task<UnitOfWork> BeginReadAsync(CancellationToken cancellationToken) => BeginAsync(forWrite: false, cancellationToken);

    /// <summary>A unit of work that writes: takes the write lock up front where the engine has one.</summary>
    public Task<UnitOfWork> BeginWriteAsync(CancellationToken cancellationToken) => BeginAsync(forWrite: true, cancellationToken);

    private async Task<UnitOfWork> BeginAsync(bool forWrite, CancellationToken cancellationToken)
    {
        var activity = UserPagesTracing.StartUnitOfWork(_dbSystem, forWrite);
        DbConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);

            // SQLite writers begin IMMEDIATE so they take the write lock up front (no deadlock-prone upgrade from a
            // read lock); readers begin DEFERRED so they never wait for writers under WAL.
            var transaction = connection is SqliteConnection sqlite
                ? BeginSqlite(EnsureFileStillThere(sqlite), forWrite)
                : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new UnitOfWork(connection, transaction, Dialect, activity);
        }
        catch (Exception exception)
        {
            activity?.AddException(exception).SetStatus(System.Diagnostics.ActivityStatusCode.Error).Dispose();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw;
        }
    }

    private static SqliteTransaction BeginSqlite(SqliteConnection connection, bool forWrite)
    {
        var transaction = connection.BeginTransaction(deferred: !forWrite);
        if (forWrite)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = CatchUpWithSchema;
            command.ExecuteNonQuery();
        }

        return transaction;
    }

    private async Task SetPragmasOnceAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var handle = connection.Handle!;
        if (_preparedSqliteHandles.TryGetValue(handle, out _))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        _preparedSqliteHandles.TryAdd(handle, handle);
    }

    // A pooled connection keeps the file it opened. If that file was deleted or moved away, SQLite in WAL mode goes
    // on committing into it, and every signup answered from then on would be lost with the unlinked file. One stat
    // per unit of work turns that into an error (503, pools dropped) instead.
    private static SqliteConnection EnsureFileStillThere(SqliteConnection connection)
    {
        var file = connection.DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && !File.Exists(file))
        {
            throw new SqliteException("SQLite Error 14: 'the database file is missing; it was deleted or moved while open'.", SqliteCantOpen);
        }

        return connection;
    }

    private static string PostgresConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder($"{PostgresDefaults};{connectionString}");
        builder.Options = $"{PostgresSessionOptions} {builder.Options}".TrimEnd();
        return builder.ConnectionString;
    }

    private static string SqliteConnectionString(string connectionString, string contentRoot)
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

        // Only migrate creates the database file. A web app whose file was deleted must fail loudly rather than
        // quietly start a new, empty database beside the lost one.
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return builder.ToString();
    }
}
