using System.Data.Common;
using Dapper;
using MySqlConnector;
using Npgsql;
using UserPages.Data;
using UserPages.Schema;

namespace UserPages.Tests.Infrastructure;

/// <summary>A fresh, empty database of one engine that a test class owns, and the app's own data services over it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _drop;

    private TestDatabase(DatabaseProvider provider, string connectionString, Func<ValueTask> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
        Database = new Database(new DatabaseOptions { Provider = provider, ConnectionString = connectionString });
        Migrator = new SchemaMigrator(Database);
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public Database Database { get; }

    public SchemaMigrator Migrator { get; }

    public UserRepository Users { get; } = new();

    /// <summary>The settings that point the app (in-process or a child process) at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Users"] = ConnectionString,
    };

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

    /// <summary>A new database on the run's shared PostgreSQL server.</summary>
    public static async Task<TestDatabase> CreatePostgresAsync() => await CreateOnServerAsync(DatabaseProvider.Postgres, await TestServers.PostgresAsync());

    /// <summary>A new database on the run's shared MariaDB server.</summary>
    public static async Task<TestDatabase> CreateMySqlAsync() => await CreateOnServerAsync(DatabaseProvider.MySql, await TestServers.MySqlAsync());

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

    /// <summary>A user by name regardless of case, as the unique index compares them; null when there is none.</summary>
    public async Task<User?> FindUserAsync(string username)
    {
        await using var unit = await Database.BeginReadAsync(default);
        return await unit.Connection.QuerySingleOrDefaultAsync<User>(
            "SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt FROM users WHERE lower(username) = @name",
            new { name = username.ToLowerInvariant() },
            unit.Transaction);
    }

    public ValueTask DisposeAsync() => _drop();

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
