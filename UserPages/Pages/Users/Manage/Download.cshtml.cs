using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace UserPages.Pages.Users.Manage;

/// <summary>"Download my data": by POST only, a JSON attachment of every stored field about the session's entry.</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class DownloadModel(PersonalDataExport export) : PageModel
{
    /// <summary>The address opened directly: the entry page, whose button downloads.</summary>
    public IActionResult OnGet() => RedirectToPage("Entry");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await ManageSession.EntryIdAsync(HttpContext) is not { } id)
        {
            return ManageSession.Ended(this);
        }

        return await export.ReadAsync(id, cancellationToken) is { } data
            ? File(PersonalData.ToJson(data), "application/json", $"userpages-entry-{data.Id}.json")
            : NotFound();
    }
}
