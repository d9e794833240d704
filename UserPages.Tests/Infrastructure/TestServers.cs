using Xunit.Abstractions;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The database servers of a test run, one per engine, shared by every test class and started on first use: the server
/// an environment variable names (a connection string whose user may create databases), or else a throwaway one from
/// the installed binaries, stopped when the test process exits.
/// </summary>
public static class TestServers
{
    public const string PostgresVariable = "USERPAGES_TEST_POSTGRES";
    public const string MySqlVariable = "USERPAGES_TEST_MYSQL";

    private static readonly Lazy<Task<string>> Postgres = new(() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } given
            ? Task.FromResult(given)
            : StartAsync(async () => await StartPostgresAsync()));

    private static readonly Lazy<Task<string>> MySql = new(() =>
        Environment.GetEnvironmentVariable(MySqlVariable) is { Length: > 0 } given
            ? Task.FromResult(given)
            : StartAsync(async () => await StartMariaDbAsync()));

    /// <summary>A connection string to the run's PostgreSQL server.</summary>
    public static Task<string> PostgresAsync() => Postgres.Value;

    /// <summary>A connection string to the run's MariaDB (or MySQL) server.</summary>
    public static Task<string> MySqlAsync() => MySql.Value;

    /// <summary>A PostgreSQL server of the caller's own, which it may stop and start again; dispose it when done.</summary>
    public static Task<LocalPostgres> StartPostgresAsync() =>
        LocalPostgres.StartNewAsync(LocalPostgres.FindBinaries()
            ?? throw Unavailable("PostgreSQL", "initdb/pg_ctl were not found (install the postgresql package)", PostgresVariable));

    /// <summary>A MariaDB server of the caller's own, which it may stop and start again; dispose it when done.</summary>
    public static Task<LocalMariaDb> StartMariaDbAsync() =>
        LocalMariaDb.StartNewAsync(LocalMariaDb.FindBinaries()
            ?? throw Unavailable("MariaDB", "mariadbd/mariadb-install-db were not found (install the mariadb-server package)", MySqlVariable));

    private static readonly List<LocalServer> Started = [];

    /// <summary>Where skip reasons are printed (xunit's diagnostic messages); set by the test framework.</summary>
    public static IMessageSink? Diagnostics { get; set; }

    /// <summary>Stops the shared servers this run started; the test framework calls it when the run is over.</summary>
    public static void StopAll()
    {
        lock (Started)
        {
            Started.ForEach(server => server.StopNow());
            Started.Clear();
        }
    }

    private static async Task<string> StartAsync(Func<Task<LocalServer>> start)
    {
        var server = await start();
        lock (Started)
        {
            Started.Add(server);
        }

        return server.ConnectionString;
    }

    /// <summary>
    /// A missing engine skips its tests on a developer's machine, saying why; under CI it fails them, because a suite
    /// that silently tested one engine instead of three would be green for the wrong reason.
    /// </summary>
    private static Exception Unavailable(string engine, string reason, string variable)
    {
        var message = $"{engine} tests cannot run: {reason}, and {variable} does not name a server.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new InvalidOperationException(message + " CI=true requires every engine.");
        }

        Diagnostics?.OnMessage(new Xunit.Sdk.DiagnosticMessage("Skipped: " + message));
        return new SkipException(message);
    }
}
