using System.Data;
using System.Data.Common;

namespace UserPages.Data;

/// <summary>
/// One connection and one transaction. <see cref="CommitAsync"/> makes the work durable; disposing a unit that was
/// not committed rolls everything back, so an exception anywhere leaves nothing half-written.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private bool _committed;
    private bool _rollbackOnly;

    internal UnitOfWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        _connection = connection;
        _transaction = transaction;
        Dialect = dialect;
    }

    public IDbConnection Connection => _connection;

    public IDbTransaction Transaction => _transaction;

    internal SqlDialect Dialect { get; }

    /// <summary>
    /// Marks the unit as failed after an expected error (such as a unique violation) so it can only roll back; on
    /// PostgreSQL the transaction is aborted at that point anyway, and every engine must behave the same.
    /// </summary>
    internal void MarkRollbackOnly() => _rollbackOnly = true;

    /// <summary>
    /// Runs one step under a savepoint: if the step hits an expected failure (and marks the unit rollback-only), only
    /// that step is undone and the unit can go on and commit the others. This is what lets a group commit answer every
    /// signup in it on its own.
    /// </summary>
    internal async Task<T> InSavepointAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        const string Savepoint = "unit_step";
        await _transaction.SaveAsync(Savepoint, cancellationToken);
        var result = await step();
        if (_rollbackOnly)
        {
            await _transaction.RollbackAsync(Savepoint, cancellationToken);
            _rollbackOnly = false;
        }

        await _transaction.ReleaseAsync(Savepoint, cancellationToken);
        return result;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_committed)
        {
            throw new InvalidOperationException("This unit of work is already committed.");
        }

        if (_rollbackOnly)
        {
            throw new InvalidOperationException("This unit of work hit a failed statement and can only be rolled back.");
        }

        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_committed && _connection.State == ConnectionState.Open)
            {
                await _transaction.RollbackAsync(CancellationToken.None);
            }
        }
        catch (DbException)
        {
            // The connection is broken; the server discards the open transaction on its own, and throwing here would
            // hide the exception that brought us here.
        }
        finally
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
