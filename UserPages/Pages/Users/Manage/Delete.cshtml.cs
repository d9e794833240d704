using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;
using UserPages.Telemetry;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// "Delete my entry": the GET asks once more; the POST removes, in one unit, the row (at the version the person saw),
/// its links and every mail to its address, then queues the goodbye, ends the session and returns to the listing.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class DeleteModel(
    Database database, UserRepository users, EntryTokenRepository tokens, MailOutbox outbox, EntryMail mail, UserPagesMetrics metrics) : PageModel
{
    /// <summary>The version of the row the person was asked about.</summary>
    [BindProperty]
    public int RowVersion { get; set; }

    public User Entry { get; private set; } = new();

    /// <summary>True when the row changed after the question was shown: nothing was deleted, the current values are shown.</summary>
    public bool Changed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ManageSession.EntryIdAsync(HttpContext) is not { } id)
        {
            return ManageSession.Ended(this);
        }

        await using var unit = await database.BeginReadAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return NotFound();
        }

        Entry = entry;
        RowVersion = entry.RowVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await ManageSession.EntryIdAsync(HttpContext) is not { } id)
        {
            return ManageSession.Ended(this);
        }

        await using var unit = await database.BeginWriteAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return NotFound();
        }

        switch (entry.RowVersion == RowVersion ? await users.DeleteAsync(unit, id, RowVersion, cancellationToken) : EntryChange.Conflict)
        {
            case EntryChange.Gone:
                return NotFound();
            case EntryChange.Conflict:
                metrics.EntryEvent(EntryEvent.Conflict);
                Entry = await users.GetByIdAsync(unit, id, cancellationToken) ?? entry;
                RowVersion = Entry.RowVersion;
                Changed = true;
                var page = Page();
                page.StatusCode = StatusCodes.Status409Conflict;
                return page;
        }

        // The foreign key removes the links already on engines that enforce it; said here too, so no engine keeps one.
        await tokens.DeleteForEntryAsync(unit, id, cancellationToken);
        await outbox.WithdrawAsync(unit, entry.Email, cancellationToken);
        await mail.SendGoodbyeAsync(unit, entry.Username, entry.Email, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        await ManageSession.CloseAsync(HttpContext);
        metrics.EntryEvent(EntryEvent.Deleted);

        // Only the listing declares the property: a page that declared it too would use the message up unseen.
        TempData[nameof(ListingModel.Welcome)] = $"Your entry {entry.Username} was deleted. Its username and address are free again; one last mail confirms it.";
        return RedirectToPage("/Users/Listing");
    }
}
