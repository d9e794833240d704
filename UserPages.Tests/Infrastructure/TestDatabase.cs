using System.Data.Common;
using System.Reflection;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Npgsql;
using UserPages.Data;
using UserPages.Schema;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A database of one engine that a test owns, created empty and dropped on dispose, with the app's own data services
/// over it. A test class gets one from its fixture; a test that needs one of its own calls
/// <see cref="ITestEngine.CreateDatabaseAsync"/>.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
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

    /// <summary>A new SQLite file in a directory of its own, deleted with the database: what <see cref="SqliteEngine"/> hands out.</summary>
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
    /// A new database with a unique name on a server (the run's shared one, for the server engines), dropped with the test
    /// database. It is created with the server's defaults on purpose: the migrations must not depend on how an operator
    /// created the database.
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
