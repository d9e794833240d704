using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Hosting;

namespace UserPages.Pages.Users;

/// <summary>Where a signup lands: the same page whether its address is new or already has an entry.</summary>
public sealed class CheckInboxModel : PageModel
{
    /// <summary>The link just mailed, in Development with the pickup folder only (see <see cref="MailedLinks"/>).</summary>
    [TempData]
    public string? MailedLink { get; set; }

    public void OnGet()
    {
        if (MailedLink is not null)
        {
            // The page then carries a token: no address of it may leave in a Referer.
            }
    }
}
