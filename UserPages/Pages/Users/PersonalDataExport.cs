using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>Reads <see cref="PersonalData"/> for one listed entry: the person's download and an operator's <c>users export</c> both come here.</summary>
public sealed class PersonalDataExport(Database database, UserRepository users, EntryTokenRepository tokens, MailOutbox outbox, TimeProvider clock)
{
    /// <summary>Everything stored about the entry, read in one unit; null when there is no such entry.</summary>
    public async Task<PersonalData?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginReadAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return null;
        }

        return PersonalData.Of(
            entry, await tokens.ListForEntryAsync(unit, id, cancellationToken), await outbox.ListToAsync(unit, entry.Email, cancellationToken), clock.GetUtcNow().UtcDateTime);
    }
}
