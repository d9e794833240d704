using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace UserPages.Data;

/// <summary>The connection factory: opens connections to the configured engine, ready for use, and begins units of work on them.</summary>
public sealed class Database
{
    // Pool defaults for several instances on one server (PostgreSQL allows 100 connections and MariaDB 151 unless told
    // otherwise): at most 20 per instance, and a 5-second connect timeout so a database that is down answers 503
    // promptly. Settings in the configured string come later and win.
    private const string PostgresDefaults = "Maximum Pool Size=20;Timeout=5;Keepalive=30";
    private const string MySqlDefaults = "Maximum Pool Size=20;Connection Timeout=5";

    // synchronous=FULL: a signup answered with a redirect survives a power cut. busy_timeout: wait inside SQLite for
    // the write lock instead of Microsoft.Data.Sqlite's 150 ms sleep-and-retry loop.
    private const string SqlitePragmas = """
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        PRAGMA foreign_keys = ON;
        """;

    private const int SqliteCantOpen = 14;

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

    /// <param name="options">The engine and its connection string.</param>
    /// <param name="contentRoot">What a relative SQLite file name is relative to; the working directory when null.</param>
    public Database(DatabaseOptions options, string? contentRoot = null)
    {
        Provider = options.Provider;
        Dialect = SqlDialect.For(Provider);
        ConnectionString = Provider switch
        {
            DatabaseProvider.Sqlite => SqliteConnectionString(options.ConnectionString, contentRoot ?? Directory.GetCurrentDirectory()),
            DatabaseProvider.Postgres => new NpgsqlConnectionStringBuilder($"{PostgresDefaults};{options.ConnectionString}").ConnectionString,
            // created_at holds UTC; read it back as such.
            DatabaseProvider.MySql => new MySqlConnectionStringBuilder($"{MySqlDefaults};{options.ConnectionString}") { DateTimeKind = MySqlDateTimeKind.Utc }.ConnectionString,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
        };
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The connection string as used: an absolute SQLite path, the pool defaults for a server.</summary>
    public string ConnectionString { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>
    /// A failure of the database rather than of the code (unreachable, down, locked, full, timed out): the request may
    /// well succeed when retried, so callers answer 503 and track it as an incident.
    /// </summary>
    /// <remarks>
    /// MySqlConnector lets a connection that breaks during BEGIN fail with the socket's own exception, unwrapped. The
    /// app's only outgoing sockets are to the database (Kestrel reports a client that went away differently).
    /// </remarks>
    public static bool IsFailure(Exception? exception) => exception is DbException or TimeoutException or SocketException or MySqlEndOfStreamException;

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
        var connection = await OpenAsync(cancellationToken);
        try
        {
            // SQLite writers begin IMMEDIATE so they take the write lock up front (no deadlock-prone upgrade from a
            // read lock); readers begin DEFERRED so they never wait for writers under WAL.
            var transaction = connection is SqliteConnection sqlite
                ? BeginSqlite(EnsureFileStillThere(sqlite), forWrite)
                : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new UnitOfWork(connection, transaction, Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
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
