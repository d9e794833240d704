using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using UserPages.Telemetry;

namespace UserPages.Data;

/// <summary>The connection factory: opens connections to the configured engine, ready for use, and begins units of work on them.</summary>
public sealed class Database
{
    // synchronous=FULL: a signup answered with a redirect survives a power cut. busy_timeout: wait inside SQLite for
    // the write lock instead of Microsoft.Data.Sqlite's 150 ms sleep-and-retry loop.
    private const string SqlitePragmas = """
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        PRAGMA foreign_keys = ON;
        """;

    /// <summary>
    /// Run first in every SQLite write unit, so a schema changed by another connection is noticed here and not by an
    /// insert, whose UNIQUE violation SQLite then reported as "no such table: users" (docs/reliability.md).
    /// </summary>
    public const string CatchUpWithSchema = """
        SELECT 1 FROM sqlite_schema LIMIT 0
        """;

    private readonly string _dbSystem;

    // Pooled SQLite connections keep their native handle, and the pragmas stay set on it: run once per handle.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _preparedSqliteHandles = [];

    /// <param name="options">The engine and its connection string.</param>
    /// <param name="contentRoot">What a relative SQLite file name is relative to; the working directory when null.</param>
    public Database(DatabaseOptions options, string? contentRoot = null)
    {
        Provider = options.Provider;
        var connectionStrings = DatabaseConnectionStrings.For(options, contentRoot ?? Directory.GetCurrentDirectory());
        ConnectionString = connectionStrings.Pooled;
        UnpooledConnectionString = connectionStrings.Unpooled;
        _dbSystem = Provider switch
        {
            DatabaseProvider.Sqlite => "sqlite",
            DatabaseProvider.Postgres => "postgresql",
            _ => "mysql",
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

    /// <summary>
    /// Drops this database's idle pooled connections, so the next open reaches the database afresh after a fault. Only
    /// its own pool: another database in the same process (a test's other app) keeps its sessions and their statements.
    /// </summary>
    public void ClearPool()
    {
        using var connection = NewConnection();
        switch (connection)
        {
            case SqliteConnection sqlite: SqliteConnection.ClearPool(sqlite); break;
            case NpgsqlConnection postgres: NpgsqlConnection.ClearPool(postgres); break;
            case MySqlConnection mysql: MySqlConnection.ClearPool(mysql); break;
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = NewConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection sqlite)
            {
                SetPragmasOnce(sqlite);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Not yet open: the pool it belongs to is the configured engine's, for this connection string.
    private DbConnection NewConnection() => Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteConnection(ConnectionString),
        DatabaseProvider.Postgres => new NpgsqlConnection(ConnectionString),
        _ => new MySqlConnection(ConnectionString),
    };

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
            return new UnitOfWork(connection, transaction, activity);
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

    private void SetPragmasOnce(SqliteConnection connection)
    {
        var handle = connection.Handle!;
        if (_preparedSqliteHandles.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas;
        command.ExecuteNonQuery();
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
            throw new SqliteException("SQLite Error 14: 'the database file is missing; it was deleted or moved while open'.", DatabaseErrors.SqliteCantOpen);
        }

        return connection;
    }
}
