using System.Data.Common;
using FluentMigrator.Runner;
using Npgsql;

namespace UserPages.Data;

/// <summary>PostgreSQL through Npgsql, for several app instances on one server.</summary>
public sealed class PostgresDialect : SqlDialect
{
    private const string UniqueViolation = "23505";

    // An arbitrary but fixed advisory-lock key that every UserPages migrate run agrees on.
    private const long MigrationLockKey = 0x5573657250616765; // "UserPage"

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string InsertUserSql => """
        INSERT INTO users (username, email) VALUES (@Username, @Email) RETURNING id
        """;

    public override string SchemaVersionSql => """SELECT MAX("Version") FROM "VersionInfo" """;

    // Pool defaults for several instances on one server (PostgreSQL allows 100 connections unless told otherwise): at
    // most 20 per instance, and a 5-second connect timeout so a database that is down answers 503 promptly. Settings
    // in the configured string come later and win.
    private const string PoolDefaults = "Maximum Pool Size=20;Timeout=5;Keepalive=30";

    public override string NormalizeConnectionString(string connectionString, string contentRoot) =>
        new NpgsqlConnectionStringBuilder($"{PoolDefaults};{connectionString}").ConnectionString;

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override void ClearPool() => NpgsqlConnection.ClearAllPools();

    public override bool IsUniqueViolation(DbException exception, out string constraint)
    {
        constraint = (exception as PostgresException)?.ConstraintName ?? "";
        return exception is PostgresException { SqlState: UniqueViolation };
    }

    // created_at is "timestamp without time zone" holding UTC; Npgsql only sends an Unspecified DateTime to it.
    public override object ToDbTime(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    public override void AddMigrationProcessor(IMigrationRunnerBuilder runner) => runner.AddPostgres();

    public override async Task<IAsyncDisposable> AcquireMigrationLockAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The lock lives as long as the session; a pooled connection would keep the session (and the lock) after
        // dispose, so this one is never pooled.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            // A session-level advisory lock: released when this connection closes, even if the process dies.
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", MigrationLockKey);
            var deadline = DateTime.UtcNow + timeout;
            while (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException("Another migrate run holds the migration lock.");
                }

                await Task.Delay(100, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
