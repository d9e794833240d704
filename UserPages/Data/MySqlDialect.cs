using System.Data.Common;
using FluentMigrator.Runner;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace UserPages.Data;

/// <summary>MariaDB and MySQL through MySqlConnector.</summary>
public sealed partial class MySqlDialect : SqlDialect
{
    private const string MigrationLockName = "userpages.migrate";

    public override DatabaseProvider Provider => DatabaseProvider.MySql;

    // MySQL has no RETURNING; LAST_INSERT_ID() is per connection, so it is exact even under concurrency.
    public override string InsertUserSql => """
        INSERT INTO users (username, email) VALUES (@Username, @Email);
        SELECT LAST_INSERT_ID();
        """;

    public override string SchemaVersionSql => "SELECT MAX(`Version`) FROM `VersionInfo`";

    public override string NormalizeConnectionString(string connectionString, string contentRoot)
    {
        // Pool defaults for several instances on one server (MariaDB allows 151 connections unless told otherwise): at
        // most 20 per instance, and a 5-second connect timeout so a database that is down answers 503 promptly. Settings
        // in the configured string come later and win.
        var builder = new MySqlConnectionStringBuilder($"Maximum Pool Size=20;Connection Timeout=5;{connectionString}")
        {
            // created_at holds UTC; read it back as such.
            DateTimeKind = MySqlDateTimeKind.Utc,
        };
        return builder.ConnectionString;
    }

    public override DbConnection CreateConnection(string connectionString) => new MySqlConnection(connectionString);

    public override void ClearPool() => MySqlConnection.ClearAllPools();

    public override bool IsUniqueViolation(DbException exception, out string constraint)
    {
        // "Duplicate entry 'value' for key 'name'": the value is user input, so only the key name is trusted.
        var match = DuplicateKey().Match(exception.Message);
        constraint = match.Success ? match.Groups["key"].Value : "";
        return exception is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };
    }

    public override void AddMigrationProcessor(IMigrationRunnerBuilder runner) => runner.AddMySql5();

    public override async Task<IAsyncDisposable> AcquireMigrationLockAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The lock lives as long as the session; a pooled connection would keep the session (and the lock) after
        // dispose, so this one is never pooled.
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            // GET_LOCK is held by this connection until it closes, even if the process dies.
            await using var command = new MySqlCommand("SELECT GET_LOCK(@name, @seconds)", connection);
            command.Parameters.AddWithValue("name", MigrationLockName);
            command.Parameters.AddWithValue("seconds", (int)Math.Ceiling(timeout.TotalSeconds));
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 1)
            {
                throw new TimeoutException("Another migrate run holds the migration lock.");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    [GeneratedRegex("for key '(?<key>[^']*)'$")]
    private static partial Regex DuplicateKey();
}
