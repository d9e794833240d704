using System.Data;
using System.Data.Common;
using System.Diagnostics;

namespace UserPages.Data;

/// <summary>
/// One connection and one transaction. <see cref="CommitAsync"/> makes the work durable; disposing a unit that was
/// not committed rolls everything back, so an exception anywhere leaves nothing half-written.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Activity? _activity;
    private bool _committed;

    /// <param name="activity">The unit's span (see <c>UserPagesTracing</c>), ended with the unit; null when not traced.</param>
    internal UnitOfWork(DbConnection connection, DbTransaction transaction, Activity? activity)
    {
        _connection = connection;
        _transaction = transaction;
        _activity = activity;
    }

    public IDbConnection Connection => _connection;

    public IDbTransaction Transaction => _transaction;

    /// <summary>Marks a point that <see cref="RollbackToSavepointAsync"/> can return to, undoing only what came after it.</summary>
    public Task SavepointAsync(string name, CancellationToken cancellationToken) => _transaction.SaveAsync(name, cancellationToken);

    /// <summary>Undoes everything since the savepoint, a failed statement included, and keeps the unit going.</summary>
    public Task RollbackToSavepointAsync(string name, CancellationToken cancellationToken) => _transaction.RollbackAsync(name, cancellationToken);

    /// <summary>Forgets the savepoint, keeping what was done since.</summary>
    public Task ReleaseSavepointAsync(string name, CancellationToken cancellationToken) => _transaction.ReleaseAsync(name, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_committed)
        {
            throw new InvalidOperationException("This unit of work is already committed.");
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
            _activity?.SetTag("userpages.unit.outcome", _committed ? "committed" : "rolled back").Dispose();
        }
    }
}
