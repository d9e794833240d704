using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>
/// The users as one listing request sees them: a single read unit of work, begun on first use and ended with the
/// request, and the users' version read in it. The cache policy reads the version; on a miss the page takes the same
/// unit and reads its page there, so a request never opens two.
/// </summary>
public sealed class ListingSnapshot(Database database, UserRepository users) : IAsyncDisposable
{
    private UnitOfWork? _unit;

    /// <summary>The version <see cref="ReadVersionAsync"/> read, or null when it has not been read.</summary>
    public UsersVersion? Version { get; private set; }

    public async Task<UsersVersion> ReadVersionAsync(CancellationToken cancellationToken)
    {
        _unit ??= await database.BeginReadAsync(cancellationToken);
        var version = await users.VersionAsync(_unit, cancellationToken);
        Version = version;
        return version;
    }

    /// <summary>The request's unit, begun now if nothing has read yet; the caller owns it from here and disposes it.</summary>
    public async Task<UnitOfWork> TakeUnitAsync(CancellationToken cancellationToken)
    {
        var unit = _unit ?? await database.BeginReadAsync(cancellationToken);
        _unit = null;
        return unit;
    }

    /// <summary>Ends the unit if nobody took it: a page answered from the cache needs the database no longer.</summary>
    public ValueTask DisposeAsync()
    {
        var unit = _unit;
        _unit = null;
        return unit?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
