using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace UserPages.Pages.Users;

/// <summary>
/// The global ceiling on new pending entries a minute (<see cref="SignupOptions.NewEntriesPerMinute"/>): what a botnet
/// from many addresses meets once the per-client limits no longer hold it. Counted in <c>mail_throttle</c> under one
/// key for everyone, since each new entry mails its confirmation: events rather than surviving rows, so entries
/// confirmed or deleted within the minute still count, on every instance.
/// </summary>
public static class NewEntryCeiling
{
    public const string ThrottleKey = "new-entries";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The friendly 429 page, saying that it is everyone's pace and not this person's.</summary>
    public static StatusCodeResult Answer(HttpContext context)
    {
        var seconds = ((int)Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        context.Features.Set(new ErrorExplanation(
            $"So many people are signing up right now that new signups are paused for a moment. Nothing was saved; wait {seconds} seconds and try again."));
        return new StatusCodeResult(StatusCodes.Status429TooManyRequests);
    }
}
