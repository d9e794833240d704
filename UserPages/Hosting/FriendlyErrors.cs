using System.Data.Common;

namespace UserPages.Hosting;

/// <summary>
/// Every error ends on the friendly error page (<c>Pages/Error.cshtml</c>): exceptions outside Development, and every
/// 4xx/5xx status without a body. A database that is down is a 503 with Retry-After, not a 500.
/// </summary>
public static class FriendlyErrors
{
    /// <summary>Failures of the database rather than of the code: the request may well succeed when retried.</summary>
    public static bool IsDatabaseFailure(Exception? exception) => exception is DbException or TimeoutException;

    public static IApplicationBuilder UseFriendlyErrors(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/error",
                StatusCodeSelector = exception => exception switch
                {
                    BadHttpRequestException badRequest => badRequest.StatusCode,
                    _ when IsDatabaseFailure(exception) => StatusCodes.Status503ServiceUnavailable,
                    _ => StatusCodes.Status500InternalServerError,
                },
                // Database failures are logged once per incident by DatabaseOutage (from the error page), and a
                // client's malformed request is not our error; everything else is logged per request as usual.
                SuppressDiagnosticsCallback = context =>
                    IsDatabaseFailure(context.Exception) || context.Exception is BadHttpRequestException,
            });
        }

        return app.UseStatusCodePagesWithReExecute("/error/{0}");
    }
}
