using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;
using UserPages.Health;

namespace UserPages.Pages;

/// <summary>A friendly page for every error status; never a stack trace, SQL or connection string.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(DatabaseOutage outage) : PageModel
{
    private const int RetryAfterSeconds = 5;

    public string Heading { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    public int Status { get; private set; }

    // The page runs for re-executed errors of any method (GET, POST, ...), so it describes itself while rendering
    // rather than in a method-specific handler.
    public void Describe()
    {
        if (HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && Database.IsFailure(error))
        {
            outage.ReportFailure(error);
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        Status = Response.StatusCode;
        if (Status == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        var retryAfter = Response.Headers.RetryAfter.ToString();
        (Heading, Explanation) = Status switch
        {
            400 => ("Bad request", "We could not understand that request. If you were sending a form, reload the page and try again."),
            404 => ("Page not found", "There is nothing at this address. The link may be mistyped, or the page may have moved."),
            405 => ("Method not allowed", "This address does not accept that kind of request."),
            413 => ("Too large", "That request was larger than we accept. Shorten what you sent and try again."),
            415 => ("Unsupported format", "That request was sent in a format we do not accept. Use the form on the page."),
            429 => ("Too many requests", retryAfter.Length > 0
                ? $"You are going a little fast. Nothing was saved; wait {retryAfter} seconds and try again."
                : "You are going a little fast. Nothing was saved; wait a moment and try again."),
            503 => ("Temporarily unavailable", $"We cannot reach our database right now. Nothing you sent was lost or half-saved; try again in {RetryAfterSeconds} seconds."),
            >= 500 => ("Something went wrong", "Something went wrong on our side. It has been logged; please try again."),
            _ => ("Something went wrong", "That did not work. Please go back and try again."),
        };
    }
}
