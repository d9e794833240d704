using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Npgsql;
using UserPages.Data;
using UserPages.Schema;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database of one engine that a test class owns, the app's own data services over it, and the
/// queries tests check the data with. The tests reach the data layer through here alone, so a change to its API is
/// met in this one file.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string SelectUserByName =
        "SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt FROM users WHERE lower(username) = lower(@name)";

    private const string CountUsers = "SELECT COUNT(*) FROM users";

    private const string SelectUsernamesAndEmails = "SELECT username, email FROM users";

    private const string SelectUsers = "SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt FROM users";

    private const string CreateSchemaChange = "CREATE TABLE schema_change (id INTEGER)";

    private const string DropSchemaChange = "DROP TABLE schema_change";

    private const string CountUsersContaining = "SELECT COUNT(*) FROM users WHERE lower(username) LIKE @pattern OR email LIKE @pattern";

    // What a PostgreSQL session carries of its own, beyond what it was opened with: settings made by SET (but those the
    // unit's own BEGIN sets for its transaction), advisory locks, channels listened to; and the plan cache mode the app
    // opens its sessions with.
    private const string ReadPostgresSession = """
        SELECT pg_backend_pid() AS Pid,
               (SELECT string_agg(name, ', ') FROM pg_settings
                WHERE source = 'session' AND name NOT IN ('transaction_isolation', 'transaction_read_only', 'transaction_deferrable')) AS Settings,
               (SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS AdvisoryLocks,
               (SELECT string_agg(channel, ', ') FROM pg_listening_channels() AS channel) AS Channels,
               current_setting('plan_cache_mode') AS PlanCacheMode
        """;

    private const string CountPostgresAdvisoryLocks = """
        SELECT COUNT(*) FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    // One statement per 200 rows keeps each well inside every engine's limit on parameters.
    private const int ImportBatch = 200;

    private readonly Func<ValueTask> _drop;

    private TestDatabase(DatabaseProvider provider, string connectionString, Func<ValueTask> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
        Database = new Database(new DatabaseOptions { Provider = provider, ConnectionString = connectionString });
        Migrator = new SchemaMigrator(Database, Options.Create(new MigrationOptions()));
        Users = new UserRepository(Database);
    }

    /// <summary>The version the app's newest migration brings the schema to.</summary>
    public static long LatestVersion => SchemaMigrator.LatestVersion;

    /// <summary>The version of the migration before the newest: rolling back to it undoes only the newest.</summary>
    public static long VersionBeforeLatest => SchemaMigrator.Versions[^2];

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public Database Database { get; }

    /// <summary>The app's migrations over this database, as <c>migrate</c> runs them.</summary>
    public SchemaMigrator Migrator { get; }

    public UserRepository Users { get; }

    /// <summary>The settings that point the app (in-process or a child process) at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => SettingsFor(ConnectionString);

    /// <summary>
    /// The settings naming this database and nothing more: without the test servers' longer connect timeout, so the
    /// app's own pool size and timeouts apply, as shipped.
    /// </summary>
    public IReadOnlyDictionary<string, string> ShippedSettings => Provider switch
    {
        DatabaseProvider.Postgres => SettingsFor(Without(new NpgsqlConnectionStringBuilder(ConnectionString), "Timeout")),
        DatabaseProvider.MySql => SettingsFor(Without(new MySqlConnectionStringBuilder(ConnectionString), "Connection Timeout")),
        _ => Settings,
    };

    /// <summary>Settings naming a database of this engine that cannot be reached.</summary>
    public IReadOnlyDictionary<string, string> UnreachableSettings => Provider == DatabaseProvider.Sqlite
        ? SettingsFor("Data Source=/proc/no-such-dir/users.db")
        : SettingsThroughPort(LocalServer.FreePort());

    /// <summary>The loopback port of a server engine's database.</summary>
    public int ServerPort => Provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnectionStringBuilder(ConnectionString).Port,
        DatabaseProvider.MySql => (int)new MySqlConnectionStringBuilder(ConnectionString).Port,
        _ => throw new NotSupportedException("An SQLite file has no port."),
    };

    /// <summary>Settings naming this database on another loopback port (a <see cref="TcpRelay"/> in front of the server).</summary>
    public IReadOnlyDictionary<string, string> SettingsThroughPort(int port) => Provider switch
    {
        DatabaseProvider.Postgres => SettingsFor(new NpgsqlConnectionStringBuilder(ConnectionString) { Port = port }.ConnectionString),
        DatabaseProvider.MySql => SettingsFor(new MySqlConnectionStringBuilder(ConnectionString) { Port = (uint)port }.ConnectionString),
        _ => throw new NotSupportedException("An SQLite file has no port."),
    };

    /// <summary>Settings naming this database with a wrong password (a server engine's; SQLite has none).</summary>
    public IReadOnlyDictionary<string, string> WrongPasswordSettings => SettingsAs(null, "wrong-password");

    /// <summary>Settings naming this database as another user of the server, or the same one when null (a server engine's).</summary>
    public IReadOnlyDictionary<string, string> SettingsAs(string? user, string password)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            var postgres = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = password };
            postgres.Username = user ?? postgres.Username;
            return SettingsFor(postgres.ConnectionString);
        }

        if (Provider == DatabaseProvider.MySql)
        {
            var mySql = new MySqlConnectionStringBuilder(ConnectionString) { Password = password };
            mySql.UserID = user ?? mySql.UserID;
            return SettingsFor(mySql.ConnectionString);
        }

        throw new NotSupportedException("An SQLite file has no users or passwords.");
    }

    /// <summary>A new SQLite file in a directory of its own, deleted with the database.</summary>
    public static TestDatabase CreateSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("userpages-test-");
        var file = Path.Combine(directory.FullName, "users.db");
        return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>An SQLite file that exists already (a backup, say), opened as the app opens it; left in place on dispose.</summary>
    public static TestDatabase OpenSqlite(string file) =>
        new(DatabaseProvider.Sqlite, $"Data Source={file}", () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return ValueTask.CompletedTask;
        });

    /// <summary>
    /// A new database with a unique name on a server, dropped with the test database. It is created with the server's
    /// defaults on purpose: the migrations must not depend on how an operator created the database.
    /// </summary>
    public static async Task<TestDatabase> CreateOnServerAsync(DatabaseProvider provider, string serverConnectionString)
    {
        var name = $"userpages_test_{Guid.NewGuid():N}"[..32];
        string connectionString;
        string drop;
        if (provider == DatabaseProvider.Postgres)
        {
            connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
            drop = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        }
        else
        {
            connectionString = new MySqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
            drop = $"DROP DATABASE IF EXISTS {name}";
        }

        await ExecuteAsync(provider, serverConnectionString, $"CREATE DATABASE {name}");
        return new TestDatabase(provider, connectionString, async () => await ExecuteAsync(provider, serverConnectionString, drop));
    }

    /// <summary>Applies every migration.</summary>
    public Task MigrateAsync() => Migrator.UpAsync(TestContext.Current.CancellationToken);

    /// <summary>Migrations from another assembly (test-only ones) over this database.</summary>
    public SchemaMigrator MigratorFor(Assembly migrations) => new(Database, migrations, new MigrationOptions().LockTimeout);

    /// <summary>Runs SQL as an operator runs a printed script: in one go, on a database the engine has prepared.</summary>
    public async Task RunScriptAsync(string sql)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            await Migrator.CreateSqliteFileAsync(TestContext.Current.CancellationToken);
        }

        await using var connection = await Database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Takes the lock every <c>migrate</c> run takes, as another deploy job would; dispose to release it.</summary>
    public Task<IAsyncDisposable> HoldMigrationLockAsync() =>
        MigrationLock.AcquireAsync(Database, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    /// <summary>A connection of the test's own, open until disposed: a session to hold a lock on.</summary>
    public Task<DbConnection> OpenConnectionAsync() => Database.OpenAsync(TestContext.Current.CancellationToken);

    /// <summary>
    /// Commits a schema change from a connection of its own, leaving the schema as it was: what a deploy-time
    /// <c>migrate</c> beside running instances does to their connections.
    /// </summary>
    public async Task ChangeSchemaAsync()
    {
        await using var unit = await Database.BeginWriteAsync(TestContext.Current.CancellationToken);
        await unit.Connection.ExecuteAsync(CreateSchemaChange, transaction: unit.Transaction);
        await unit.Connection.ExecuteAsync(DropSchemaChange, transaction: unit.Transaction);
        await unit.CommitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Advisory locks held by any session on this PostgreSQL database.</summary>
    public Task<long> CountAdvisoryLocksAsync() => ScalarAsync<long>(CountPostgresAdvisoryLocks);

    /// <summary>
    /// What each of this PostgreSQL database's pooled sessions carries: as many units of work as the pool holds at most,
    /// open all at once, so every session the pool kept is among them.
    /// </summary>
    public async Task<IReadOnlyList<PostgresSession>> ReadPooledSessionsAsync()
    {
        var units = new List<UnitOfWork>();
        try
        {
            for (var i = 0; i < new NpgsqlConnectionStringBuilder(Database.ConnectionString).MaxPoolSize; i++)
            {
                units.Add(await Database.BeginReadAsync(TestContext.Current.CancellationToken));
            }

            var sessions = new List<PostgresSession>();
            foreach (var unit in units)
            {
                sessions.Add(await unit.Connection.QuerySingleAsync<PostgresSession>(ReadPostgresSession, transaction: unit.Transaction));
            }

            return sessions;
        }
        finally
        {
            foreach (var unit in units)
            {
                await unit.DisposeAsync();
            }
        }
    }

    /// <summary>Inserts users with their own join dates, committed.</summary>
    public async Task ImportUsersAsync(IEnumerable<ImportedUser> users)
    {
        await using var unit = await Database.BeginWriteAsync(TestContext.Current.CancellationToken);
        foreach (var batch in users.Chunk(ImportBatch))
        {
            await Users.ImportAsync(unit, batch, TestContext.Current.CancellationToken);
        }

        await unit.CommitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The user with this name in any letter case, as the unique index compares names; null when there is none.</summary>
    public async Task<User?> FindUserAsync(string username)
    {
        await using var unit = await Database.BeginReadAsync(TestContext.Current.CancellationToken);
        return await unit.Connection.QuerySingleOrDefaultAsync<User>(SelectUserByName, new { name = username }, unit.Transaction);
    }

    /// <summary>
    /// The rows in the users table, counted there and then; with <paramref name="containing"/>, only those whose
    /// username (in any case) or email contains it.
    /// </summary>
    public async Task<long> CountUsersAsync(string? containing = null)
    {
        await using var unit = await Database.BeginReadAsync(TestContext.Current.CancellationToken);
        return containing is null
            ? await unit.Connection.ExecuteScalarAsync<long>(CountUsers, transaction: unit.Transaction)
            : await unit.Connection.ExecuteScalarAsync<long>(
                CountUsersContaining, new { pattern = $"%{containing.ToLowerInvariant()}%" }, unit.Transaction);
    }

    /// <summary>Every stored user: username → email.</summary>
    public async Task<Dictionary<string, string>> ReadEmailsByUsernameAsync() =>
        (await QueryAsync<(string Username, string Email)>(SelectUsernamesAndEmails)).ToDictionary(row => row.Username, row => row.Email);

    /// <summary>Every stored user, in no particular order.</summary>
    public Task<List<User>> ReadUsersAsync() => QueryAsync<User>(SelectUsers);

    /// <summary>Rows of a query of the test's own, read in a unit of work.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var unit = await Database.BeginReadAsync(TestContext.Current.CancellationToken);
        return [.. await unit.Connection.QueryAsync<T>(sql, transaction: unit.Transaction)];
    }

    /// <summary>The single value of a query of the test's own, read in a unit of work.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var unit = await Database.BeginReadAsync(TestContext.Current.CancellationToken);
        return await unit.Connection.ExecuteScalarAsync<T>(sql, transaction: unit.Transaction);
    }

    public ValueTask DisposeAsync() => _drop();

    private Dictionary<string, string> SettingsFor(string connectionString) => new Dictionary<string, string>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Users"] = connectionString,
    };

    private static string Without(DbConnectionStringBuilder builder, string keyword)
    {
        builder.Remove(keyword);
        return builder.ConnectionString;
    }

    private static async Task ExecuteAsync(DatabaseProvider provider, string serverConnectionString, string sql)
    {
        // Unpooled: a pooled administrative connection would outlive a server restart in the outage tests.
        await using DbConnection connection = provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false }.ConnectionString)
            : new MySqlConnection(new MySqlConnectionStringBuilder(serverConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>What a PostgreSQL session carries of its own (see <see cref="TestDatabase.ReadPooledSessionsAsync"/>).</summary>
/// <param name="Settings">The settings made by SET, comma-separated; null when there are none.</param>
/// <param name="Channels">The channels listened to, comma-separated; null when there are none.</param>
public sealed record PostgresSession(int Pid, string? Settings, long AdvisoryLocks, string? Channels, string PlanCacheMode);
