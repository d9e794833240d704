using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UserPages.Data;

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
        Database = new Database(
            Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }),
            new TestHostEnvironment());
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

    public ValueTask DisposeAsync() => _drop();

    private sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "UserPages";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
