using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using UserPages.Data;

namespace UserPages.Schema;

/// <summary>
/// The engine's exclusive lock that serialises concurrent <c>migrate</c> runs (FluentMigrator takes none): a file lock
/// beside the SQLite file, a session advisory lock on PostgreSQL, a named lock on MariaDB. Each is released by the
/// kernel or the server when its holder dies, so a killed run never leaves the lock behind.
/// </summary>
public static class MigrationLock
{
    // An arbitrary but fixed advisory-lock key that every UserPages migrate run agrees on ("UserPage"). PostgreSQL
    // keeps advisory locks per database, so runs against other databases on the same server never wait for it.
    private const long PostgresKey = 0x5573657250616765;

    public const string TryPostgresLock = """
        SELECT pg_try_advisory_lock(@Key)
        """;

    /// <summary>
    /// MariaDB's named locks are server-wide: the name carries the database's (hashed, as a lock name has at most 64
    /// characters), so migrate runs against other databases on the same server do not wait for each other.
    /// </summary>
    public const string WaitForMySqlLock = """
        SELECT GET_LOCK(CONCAT('userpages.migrate.', MD5(DATABASE())), @Seconds)
        """;

    /// <summary>Takes the lock, waiting up to <paramref name="timeout"/>; dispose the result to release it.</summary>
    public static Task<IAsyncDisposable> AcquireAsync(Database database, TimeSpan timeout, CancellationToken cancellationToken) =>
        database.Provider switch
        {
            DatabaseProvider.Sqlite => AcquireFileAsync(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource + ".migrate.lock", timeout, cancellationToken),
            DatabaseProvider.Postgres => AcquirePostgresAsync(database.UnpooledConnectionString, timeout, cancellationToken),
            _ => AcquireMySqlAsync(database.UnpooledConnectionString, timeout, cancellationToken),
        };

    private static async Task<IAsyncDisposable> AcquireFileAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IOException)
            {
                // "The process cannot access the file": the message below says it better.
                throw Held();
            }
        }
    }

    // The locks on the servers live as long as the session; a pooled connection would keep the session (and the lock)
    // after dispose, so these connections are never pooled (PooledSessionTests).
    private static Task<IAsyncDisposable> AcquirePostgresAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken) =>
        HoldOnSessionAsync(
            new NpgsqlConnection(connectionString),
            async connection =>
            {
                var deadline = DateTime.UtcNow + timeout;
                while (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(TryPostgresLock, new { Key = PostgresKey }, cancellationToken: cancellationToken)))
                {
                    if (DateTime.UtcNow >= deadline)
                    {
                        return false;
                    }

                    await Task.Delay(100, cancellationToken);
                }

                return true;
            },
            cancellationToken);

    private static Task<IAsyncDisposable> AcquireMySqlAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken) =>
        HoldOnSessionAsync(
            new MySqlConnection(connectionString),
            async connection => await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                WaitForMySqlLock, new { Seconds = (int)Math.Ceiling(timeout.TotalSeconds) }, cancellationToken: cancellationToken)) == 1,
            cancellationToken);

    /// <summary>Opens the connection and takes the lock on its session; the open connection is the held lock.</summary>
    private static async Task<IAsyncDisposable> HoldOnSessionAsync(DbConnection connection, Func<DbConnection, Task<bool>> takeLock, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
            return await takeLock(connection) ? connection : throw Held();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static TimeoutException Held() => new("Another migrate run holds the migration lock.");
}
