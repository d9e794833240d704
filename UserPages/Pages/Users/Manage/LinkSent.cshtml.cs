using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using UserPages.Hosting;

namespace UserPages.Pages.Users.Manage;

/// <summary>Where a request for a manage link lands: the same page whether or not the address has an entry.</summary>
public sealed class LinkSentModel(IOptions<SignupOptions> options) : PageModel
{
    public SignupOptions Settings => options.Value;

    /// <summary>The link just mailed, in Development with the pickup folder only (see <see cref="MailedLinks"/>).</summary>
    [TempData]
    public string? MailedLink { get; set; }

    public void OnGet()
    {
        if (MailedLink is not null)
        {
            // The page then carries a token: no address of it may leave in a Referer.
            Response.Headers[SecurityHeaders.ReferrerPolicyHeader] = NoReferrerAttribute.Policy;
        }
    }
}
