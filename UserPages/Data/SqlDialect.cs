using System.Data;
using System.Data.Common;
using FluentMigrator.Runner;

namespace UserPages.Data;

/// <summary>
/// Everything that differs between engines, in one place: how to connect, how an insert returns its id, how a unique
/// violation looks, how migrations are run and locked. The repository's SQL is otherwise shared by all engines.
/// </summary>
public abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The INSERT for a new user, answering the new id as a single scalar.</summary>
    public abstract string InsertUserSql { get; }

    /// <summary>The highest applied migration version, or NULL when none is.</summary>
    public abstract string SchemaVersionSql { get; }

    /// <summary>
    /// SQL that must reach the disk to succeed and leaves no trace once committed, run by the health check while a
    /// database incident is open to prove writes work again; null when committing a write unit is proof enough.
    /// </summary>
    public virtual string? WriteProbeSql => null;

    /// <summary>Drops idle pooled connections, so the next open reaches the database afresh after a fault.</summary>
    public virtual void ClearPool()
    {
    }

    /// <summary>Rewrites the configured connection string into the one actually used (absolute paths, pool settings).</summary>
    public abstract string NormalizeConnectionString(string connectionString, string contentRoot);

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>The length of the pieces the search indexes are made of (FTS5 trigram, pg_trgm), in characters.</summary>
    public const int TrigramLength = 3;

    /// <summary>
    /// Whether a term is long enough to contain a trigram, counting characters as the indexes do (code points: an
    /// emoji is one); a shorter term could only be found by reading every row.
    /// </summary>
    public static bool HasTrigram(string term) => term.EnumerateRunes().Skip(TrigramLength - 1).Any();

    /// <summary>
    /// A query for the ids (column <c>candidate_id</c>) that may match a search, from a search index of the engine's own,
    /// binding <c>@SearchIndexQuery</c> to <see cref="SearchIndexQuery"/>; null where the LIKE filter uses an index by
    /// itself or no index can help. The LIKE filter still decides which candidates match, so results are the same.
    /// </summary>
    public virtual string? SearchCandidatesSql(string search) => null;

    /// <summary>The search term as the engine's search index takes it (see <see cref="SearchCandidatesSql"/>).</summary>
    public virtual string? SearchIndexQuery(string search) => null;

    /// <summary>Per-connection settings, run on every open connection before use.</summary>
    public virtual Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual ValueTask<DbTransaction> BeginTransactionAsync(DbConnection connection, bool forWrite, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    /// <summary>True when the exception is a unique-constraint violation; <paramref name="constraint"/> names what was violated.</summary>
    public abstract bool IsUniqueViolation(DbException exception, out string constraint);

    /// <summary>How a point in time (always UTC) is passed as a parameter.</summary>
    public virtual object ToDbTime(DateTime utc) => utc;

    /// <summary>Registers this engine's FluentMigrator processor.</summary>
    public abstract void AddMigrationProcessor(IMigrationRunnerBuilder runner);

    /// <summary>Takes the engine's exclusive lock that serialises concurrent <c>migrate</c> runs; dispose to release.</summary>
    public abstract Task<IAsyncDisposable> AcquireMigrationLockAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Prepares the database itself before the first migration (create the file, set persistent modes).</summary>
    public virtual Task PrepareDatabaseAsync(string connectionString, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A connection string under which <c>migrate script</c> can read the current version without changing anything,
    /// or null to use the normal one.
    /// </summary>
    public virtual string? ReadOnlyConnectionString(string connectionString) => null;

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDialect(),
        DatabaseProvider.Postgres => new PostgresDialect(),
        DatabaseProvider.MySql => new MySqlDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };
}
