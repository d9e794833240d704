using UserPages.Data;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// An engine the tests run on, as a type argument: a test class over several engines is generic over it
/// (<c>SignupTests&lt;TEngine&gt;</c>) and each closed subclass names one engine once.
/// </summary>
public interface ITestEngine
{
    /// <summary>A fresh, empty database of this engine, the caller's to dispose: the one helper for a test that needs its own.</summary>
    /// <remarks>Fixtures start from it too. Skips or fails as <see cref="TestServers"/> decides when the engine is missing.</remarks>
    static abstract Task<TestDatabase> CreateDatabaseAsync(TestServers servers);
}

/// <summary>An engine that runs as a server, which a test can also start for itself alone (to stop and start it).</summary>
public interface IServerEngine : ITestEngine
{
    static abstract DatabaseProvider Provider { get; }

    /// <summary>A server of the caller's own; the caller disposes it.</summary>
    static abstract Task<LocalServer> StartServerAsync();
}

/// <summary>SQLite: a file of the test class's own.</summary>
public sealed class SqliteEngine : ITestEngine
{
    public static Task<TestDatabase> CreateDatabaseAsync(TestServers servers) => Task.FromResult(TestDatabase.CreateSqlite());
}

/// <summary>PostgreSQL: a database on the run's shared server.</summary>
public sealed class PostgresEngine : IServerEngine
{
    public static DatabaseProvider Provider => DatabaseProvider.Postgres;

    public static async Task<TestDatabase> CreateDatabaseAsync(TestServers servers) =>
        await TestDatabase.CreateOnServerAsync(Provider, await servers.PostgresAsync());

    public static async Task<LocalServer> StartServerAsync() => await TestServers.StartPostgresAsync();
}

/// <summary>MySQL (MariaDB here): a database on the run's shared server.</summary>
public sealed class MySqlEngine : IServerEngine
{
    public static DatabaseProvider Provider => DatabaseProvider.MySql;

    public static async Task<TestDatabase> CreateDatabaseAsync(TestServers servers) =>
        await TestDatabase.CreateOnServerAsync(Provider, await servers.MySqlAsync());

    public static async Task<LocalServer> StartServerAsync() => await TestServers.StartMariaDbAsync();
}
