using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace UserPages.Data;

/// <summary>The connection strings the app uses for the configured engine: its pool defaults, then the operator's settings.</summary>
internal sealed record DatabaseConnectionStrings(string Pooled, string Unpooled)
{
    // At most 20 connections per instance (PostgreSQL allows 100 and MariaDB 151 by default), and a 5-second connect
    // timeout so a database that is down answers 503 promptly. Settings in the configured string come later and win.
    // No Reset On Close and Max Auto Prepare keep PostgreSQL's pooled sessions and their prepared statements: safe
    // because no pooled session carries state (the migrate lock and migrations run unpooled; PooledSessionTests).
    // Why: docs/performance.md#postgresql-with-the-listing-kept.
    private const string PostgresDefaults = "Maximum Pool Size=20;Timeout=5;Keepalive=30;No Reset On Close=true;Max Auto Prepare=64";

    // Each statement is planned once per session, not on every run: none needs its values to be planned well (the
    // search picks its trigrams itself and fences its walk), and planning a search cost as much as running it.
    // Prepended, so a plan_cache_mode in the configured Options still wins.
    private const string PostgresSessionOptions = "-c plan_cache_mode=force_generic_plan";

    // Connection Reset=false, for the same reason and on the same condition: no reset round trip each time a unit
    // takes a pooled session (docs/performance.md#mariadb-with-the-listing-kept).
    private const string MySqlDefaults = "Maximum Pool Size=20;Connection Timeout=5;Connection Reset=false";

    /// <param name="contentRoot">What a relative SQLite file name is relative to.</param>
    public static DatabaseConnectionStrings For(DatabaseOptions options, string contentRoot) => options.Provider switch
    {
        DatabaseProvider.Sqlite => Same(Sqlite(options.ConnectionString, contentRoot)),
        DatabaseProvider.Postgres => Postgres(options.ConnectionString),
        DatabaseProvider.MySql => MySql(options.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
    };

    private static DatabaseConnectionStrings Same(string connectionString) => new(connectionString, connectionString);

    private static DatabaseConnectionStrings Postgres(string configured)
    {
        var builder = new NpgsqlConnectionStringBuilder($"{PostgresDefaults};{configured}");
        builder.Options = $"{PostgresSessionOptions} {builder.Options}".TrimEnd();
        var pooled = builder.ConnectionString;
        builder.Pooling = false;
        return new(pooled, builder.ConnectionString);
    }

    private static DatabaseConnectionStrings MySql(string configured)
    {
        // created_at holds UTC; read it back as such.
        var builder = new MySqlConnectionStringBuilder($"{MySqlDefaults};{configured}") { DateTimeKind = MySqlDateTimeKind.Utc };
        var pooled = builder.ConnectionString;
        builder.Pooling = false;
        return new(pooled, builder.ConnectionString);
    }

    private static string Sqlite(string configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(configured);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new InvalidOperationException("The SQLite connection string has no Data Source.");
        }

        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        // Only migrate creates the database file. A web app whose file was deleted must fail loudly rather than
        // quietly start a new, empty database beside the lost one.
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return builder.ToString();
    }
}
