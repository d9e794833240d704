using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace UserPages.Pages.Users;

/// <summary>
/// The answer when a request would mail an address, or come from a client, past its hourly limit: the friendly 429
/// page, saying neither which limit fired nor whether the address has an entry.
/// </summary>
public static class TooManyMails
{
    public static StatusCodeResult Answer(HttpContext context, TimeSpan window)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return new StatusCodeResult(StatusCodes.Status429TooManyRequests);
    }
}
