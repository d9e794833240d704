using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// "Delete my entry": the GET asks once more; the POST removes the entry at the version the person saw, through
/// <see cref="EntryRemoval"/> as an operator's removal does, ends the session and returns to the listing.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class DeleteModel(Database database, UserRepository users, EntryRemoval removal) : PageModel
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

        switch (await removal.RemoveOwnAsync(id, RowVersion, cancellationToken))
        {
            case { Outcome: EntryChange.Conflict, Entry: { } current }:
                Entry = current;
                RowVersion = current.RowVersion;
                Changed = true;
                var page = Page();
                page.StatusCode = StatusCodes.Status409Conflict;
                return page;
            case { Outcome: EntryChange.Saved, Entry: { } removed }:
                await ManageSession.CloseAsync(HttpContext);

                // Only the listing declares the property: a page that declared it too would use the message up unseen.
                TempData[nameof(ListingModel.Welcome)] = $"Your entry {removed.Username} was deleted. Its username and address are free again; one last mail confirms it.";
                return RedirectToPage("/Users/Listing");
            default:
                return NotFound();
        }
    }
}
