using Xunit.Sdk;

[assembly: AssemblyFixture(typeof(UserPages.Tests.Infrastructure.TestServers))]

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The database servers of a test run, one per engine, shared by every test class: an assembly fixture, so each is
/// started on first use and stopped when the run ends. The server an environment variable names (a connection string
/// whose user may create databases) is used instead when given.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    public const string PostgresVariable = "USERPAGES_TEST_POSTGRES";
    public const string MySqlVariable = "USERPAGES_TEST_MYSQL";

    /// <summary>The engines to test, comma-separated (<c>sqlite</c> starts no server: SQLite is always tested); unset, all three.</summary>
    public const string EnginesVariable = "USERPAGES_TEST_ENGINES";

    private readonly List<LocalServer> _started = [];
    private readonly Lazy<Task<string>> _postgres;
    private readonly Lazy<Task<string>> _mySql;

    public TestServers()
    {
        _postgres = new(() => Given(PostgresVariable) ?? StartSharedAsync(async () => await StartPostgresAsync()));
        _mySql = new(() => Given(MySqlVariable) ?? StartSharedAsync(async () => await StartMariaDbAsync()));
    }

    /// <summary>A connection string to the run's PostgreSQL server.</summary>
    public Task<string> PostgresAsync()
    {
        EnsureChosen("postgres", "PostgreSQL");
        return _postgres.Value;
    }

    /// <summary>A connection string to the run's MariaDB (or MySQL) server.</summary>
    public Task<string> MySqlAsync()
    {
        EnsureChosen("mysql", "MariaDB");
        return _mySql.Value;
    }

    /// <summary>A PostgreSQL server of the caller's own, which it may stop and start again; dispose it when done.</summary>
    public static Task<LocalPostgres> StartPostgresAsync()
    {
        EnsureChosen("postgres", "PostgreSQL");
        return LocalPostgres.StartNewAsync(LocalPostgres.FindBinaries()
            ?? throw Unavailable("PostgreSQL", "initdb/pg_ctl were not found (install the postgresql package)", PostgresVariable));
    }

    /// <summary>A MariaDB server of the caller's own, which it may stop and start again; dispose it when done.</summary>
    public static Task<LocalMariaDb> StartMariaDbAsync()
    {
        EnsureChosen("mysql", "MariaDB");
        return LocalMariaDb.StartNewAsync(LocalMariaDb.FindBinaries()
            ?? throw Unavailable("MariaDB", "mariadbd/mariadb-install-db were not found (install the mariadb-server package)", MySqlVariable));
    }

    public async ValueTask DisposeAsync()
    {
        List<LocalServer> started;
        lock (_started)
        {
            started = [.. _started];
            _started.Clear();
        }

        foreach (var server in started)
        {
            await server.DisposeAsync();
        }
    }

    private static Task<string>? Given(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given ? Task.FromResult(given) : null;

    private async Task<string> StartSharedAsync(Func<Task<LocalServer>> start)
    {
        var server = await start();
        lock (_started)
        {
            _started.Add(server);
        }

        return server.ConnectionString;
    }

    private static Exception Unavailable(string engine, string reason, string variable) =>
        Unavailable($"{engine} tests cannot run: {reason}, and {variable} does not name a server.");

    // An engine left out is skipped like a missing one, and so fails under CI.
    private static void EnsureChosen(string engine, string name)
    {
        if (Environment.GetEnvironmentVariable(EnginesVariable) is { Length: > 0 } chosen
            && !chosen.Split(',', StringSplitOptions.TrimEntries).Contains(engine, StringComparer.OrdinalIgnoreCase))
        {
            throw Unavailable($"{name} tests are left out: {EnginesVariable}={chosen}.");
        }
    }

    /// <summary>
    /// A missing engine (or other part a test needs) skips its tests on a developer's machine, saying why; under CI it
    /// fails them, because a suite that silently tested less would be green for the wrong reason.
    /// </summary>
    /// <param name="required">What CI requires, named in the failure.</param>
    internal static Exception Unavailable(string message, string required = "every engine")
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new InvalidOperationException($"{message} CI=true requires {required}.");
        }

        TestContext.Current.SendDiagnosticMessage("Skipped: " + message);
        return SkipException.ForSkip(message);
    }
}
