using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Hosting;

namespace UserPages.Pages.Users;

/// <summary>Where a signup lands: the same page whether its address is new or already has an entry.</summary>
public sealed class CheckInboxModel : PageModel
{
    /// <summary>The TempData key the signup leaves the link under.</summary>
    public const string MailedLinkKey = "MailedLink";

    /// <summary>The link just mailed, in Development with the pickup folder only (see <see cref="MailedLinks"/>); shown once.</summary>
    public string? MailedLink { get; private set; }

    public void OnGet()
    {
        MailedLink = TempData[MailedLinkKey] as string;
        if (MailedLink is not null)
        {
            // The page then carries a token: no address may leave it in a Referer.
            Response.Headers[SecurityHeaders.ReferrerPolicyHeader] = NoReferrerAttribute.Policy;
        }
    }
}
