using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;

namespace UserPages.Pages.Users.Manage;

/// <summary>"Download my data": by POST only, a JSON attachment of every stored field about the session's entry.</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class DownloadModel(Database database, UserRepository users, EntryTokenRepository tokens, MailOutbox outbox, TimeProvider clock) : PageModel
{
    /// <summary>The address opened directly: the entry page, whose button downloads.</summary>
    public IActionResult OnGet() => RedirectToPage("Entry");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
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

        var data = PersonalData.Of(
            entry, await tokens.ListForEntryAsync(unit, id, cancellationToken), await outbox.ListToAsync(unit, entry.Email, cancellationToken), clock.GetUtcNow().UtcDateTime);
        return File(PersonalData.ToJson(data), "application/json", $"userpages-entry-{entry.Id}.json");
    }
}
