namespace UserPages.Tests.Infrastructure;

/// <summary>
/// An engine the tests run on, as a type argument (<c>AppFixture&lt;PostgresEngine&gt;</c>), so a concrete test class
/// names its engine once and no fixture repeats how to get a database of it.
/// </summary>
public interface ITestEngine
{
    /// <summary>A fresh, empty database of this engine; skips or fails as <see cref="TestServers"/> decides when the engine is missing.</summary>
    static abstract Task<TestDatabase> CreateDatabaseAsync();
}

/// <summary>SQLite: a file of the test class's own.</summary>
public sealed class SqliteEngine : ITestEngine
{
    public static Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.CreateSqlite());
}

/// <summary>PostgreSQL: a database on the run's shared server.</summary>
public sealed class PostgresEngine : ITestEngine
{
    public static Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync();
}

/// <summary>MySQL (MariaDB here): a database on the run's shared server.</summary>
public sealed class MySqlEngine : ITestEngine
{
    public static Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateMySqlAsync();
}
