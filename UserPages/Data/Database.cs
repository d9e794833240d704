using System.Data.Common;
using Microsoft.Extensions.Options;

namespace UserPages.Data;

/// <summary>The configured database: opens prepared connections and begins units of work on them.</summary>
public sealed class Database
{
    public Database(IOptions<DatabaseOptions> options, IHostEnvironment environment)
    {
        Dialect = SqlDialect.For(options.Value.Provider);
        ConnectionString = Dialect.NormalizeConnectionString(options.Value.ConnectionString, environment.ContentRootPath);
    }

    public SqlDialect Dialect { get; }

    /// <summary>
    /// A failure of the database rather than of the code (unreachable, down, locked, full, timed out): the request may
    /// well succeed when retried, so callers answer 503 and track it as an incident.
    /// </summary>
    public static bool IsFailure(Exception? exception) => exception is DbException or TimeoutException;

    /// <summary>The connection string as used, after normalisation (absolute SQLite path, engine settings).</summary>
    public string ConnectionString { get; }

    /// <summary>Drops pooled connections after a fault (see <see cref="SqlDialect.ClearPool"/>).</summary>
    public void ClearPool() => Dialect.ClearPool();

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Dialect.CreateConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await Dialect.PrepareConnectionAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A unit of work that only reads: never waits for writers.</summary>
    public Task<UnitOfWork> BeginReadAsync(CancellationToken cancellationToken) => BeginAsync(forWrite: false, cancellationToken);

    /// <summary>A unit of work that writes: takes the write lock up front where the engine has one.</summary>
    public Task<UnitOfWork> BeginWriteAsync(CancellationToken cancellationToken) => BeginAsync(forWrite: true, cancellationToken);

    private async Task<UnitOfWork> BeginAsync(bool forWrite, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            var transaction = await Dialect.BeginTransactionAsync(connection, forWrite, cancellationToken);
            return new UnitOfWork(connection, transaction, Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
