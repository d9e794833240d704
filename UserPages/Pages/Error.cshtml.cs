using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Hosting;

namespace UserPages.Pages;

/// <summary>A friendly page for every error status; never a stack trace, SQL or connection string.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    // The page runs for re-executed errors of any method (GET, POST, ...), without a handler of its own, so it
    // describes the status the response already has.
    public int Status => Response.StatusCode;

    public string Heading => Description.Heading;

    public string Explanation => HttpContext.Features.Get<ErrorExplanation>()?.Text ?? Description.Explanation;

    private (string Heading, string Explanation) Description => Status switch
    {
        400 => ("Bad request", "We could not understand that request. If you were sending a form, reload the page and try again."),
        404 => ("Page not found", PageExplanation() ?? "There is nothing at this address. The link may be mistyped, or the page may have moved."),
        405 => ("Method not allowed", "This address does not accept that kind of request."),
        413 => ("Too large", "That request was larger than we accept. Shorten what you sent and try again."),
        415 => ("Unsupported format", "That request was sent in a format we do not accept. Use the form on the page."),
        429 => ("Too many requests", Response.Headers.RetryAfter.ToString() is { Length: > 0 } retryAfter
            ? $"You are going a little fast. Nothing was saved; wait {retryAfter} seconds and try again."
            : "You are going a little fast. Nothing was saved; wait a moment and try again."),
        503 => ("Temporarily unavailable", $"We cannot reach our database right now. Nothing you sent was lost or half-saved; try again in {ExpectedFailureHandler.RetryAfterSeconds} seconds."),
        >= 500 => ("Something went wrong", "Something went wrong on our side. It has been logged; please try again."),
        _ => ("Something went wrong", "That did not work. Please go back and try again."),
    };

    // The page that answered 404 may say what was missing; the re-execute keeps its endpoint and route values.
    private string? PageExplanation() =>
        HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { Endpoint: { } page, RouteValues: { } route }
        && page.Metadata.GetMetadata<NotFoundExplanationAttribute>() is { } explanation
            ? explanation.Explain(route)
            : null;
}
