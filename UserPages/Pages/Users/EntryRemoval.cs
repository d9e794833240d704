using UserPages.Data;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>
/// The one way an entry is removed, whoever asks: the person from their manage session, or an operator with
/// <c>users remove</c>. In one unit of work: the row, its links, every mail still queued to its address, then the
/// goodbye. Listing, search, total and the kept pages follow by themselves: the database raises the users' version
/// with the delete.
/// </summary>
public sealed partial class EntryRemoval(
    Database database,
    UserRepository users,
    PendingSignupRepository pending,
    EntryTokenRepository tokens,
    MailOutbox outbox,
    EntryMail mail,
    UserPagesMetrics metrics,
    ILogger<EntryRemoval> logger)
{
    /// <summary>The person's own delete, made against the version of the row they were shown.</summary>
    public Task<EntryRemoved> RemoveOwnAsync(long id, int rowVersion, CancellationToken cancellationToken) =>
        RemoveAsync(id, rowVersion, goodbye: true, reason: null, cancellationToken);

    /// <summary>
    /// An operator's removal of the entry as it is now. The log keeps the id and <paramref name="reason"/>, never the
    /// address; <paramref name="goodbye"/> false removes without a last mail (an abuse removal).
    /// </summary>
    public Task<EntryRemoved> RemoveForOperatorAsync(long id, string reason, bool goodbye, CancellationToken cancellationToken) =>
        RemoveAsync(id, rowVersion: null, goodbye, reason, cancellationToken);

    /// <summary>
    /// An operator's removal of a pending signup, with the confirmation mail still queued to it; false when it is gone
    /// already. No goodbye: nobody has proven the address, and the signup would have expired unlisted anyway.
    /// </summary>
    public async Task<bool> RemovePendingForOperatorAsync(PendingSignup signup, string reason, CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        if (!await pending.DeleteAsync(unit, signup.Id, cancellationToken))
        {
            return false;
        }

        await outbox.WithdrawAsync(unit, signup.Email, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        LogPendingRemoved(logger, signup.Id, reason);
        return true;
    }

    private async Task<EntryRemoved> RemoveAsync(long id, int? rowVersion, bool goodbye, string? reason, CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return new(EntryChange.Gone, null);
        }

        var version = rowVersion ?? entry.RowVersion;
        if (entry.RowVersion != version)
        {
            // The row just read is the current one: no second read to show it.
            metrics.EntryEvent(EntryEvent.Conflict);
            return new(EntryChange.Conflict, entry);
        }

        switch (await users.DeleteAsync(unit, id, version, cancellationToken))
        {
            case EntryChange.Gone:
                return new(EntryChange.Gone, null);
            case EntryChange.Conflict:
                metrics.EntryEvent(EntryEvent.Conflict);
                return new(EntryChange.Conflict, await users.GetByIdAsync(unit, id, cancellationToken) ?? entry);
        }

        // The foreign key removes the links already on engines that enforce it; said here too, so no engine keeps one.
        await tokens.DeleteForEntryAsync(unit, id, cancellationToken);
        await outbox.WithdrawAsync(unit, entry.Email, cancellationToken);
        if (goodbye)
        {
            await mail.SendGoodbyeAsync(unit, entry.Username, entry.Email, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        metrics.EntryEvent(EntryEvent.Deleted);
        if (reason is null)
        {
            LogDeletedByOwner(logger, id);
        }
        else
        {
            LogRemovedByOperator(logger, id, goodbye ? "goodbye mailed" : "no mail", reason);
        }

        return new(EntryChange.Saved, entry);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Entry {EntryId} deleted by its owner.")]
    private static partial void LogDeletedByOwner(ILogger logger, long entryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entry {EntryId} removed by an operator ({Mail}): {Reason}")]
    private static partial void LogRemovedByOperator(ILogger logger, long entryId, string mail, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pending signup {PendingId} removed by an operator: {Reason}")]
    private static partial void LogPendingRemoved(ILogger logger, long pendingId, string reason);
}

/// <summary>
/// What a removal came to: <see cref="EntryChange.Saved"/> with the entry as it was removed,
/// <see cref="EntryChange.Conflict"/> with the row as it is now, or <see cref="EntryChange.Gone"/>.
/// </summary>
public readonly record struct EntryRemoved(EntryChange Outcome, User? Entry);
