using UserPages.Data;

namespace UserPages.Hosting;

/// <summary>
/// Every error ends on the friendly error page (<c>Pages/Error.cshtml</c>): exceptions outside Development, and every
/// 4xx/5xx status without a body. A database that is down is a 503 with Retry-After, not a 500.
/// </summary>
public static class FriendlyErrors
{
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
                    _ when Database.IsFailure(exception) => StatusCodes.Status503ServiceUnavailable,
                    _ => StatusCodes.Status500InternalServerError,
                },
                // Database failures are logged once per incident by DatabaseOutage (from the error page), and a
                // client's malformed request is not our error; everything else is logged per request as usual.
                SuppressDiagnosticsCallback = context =>
                    Database.IsFailure(context.Exception) || context.Exception is BadHttpRequestException,
            });
        }

        return app.UseStatusCodePagesWithReExecute("/error/{0}");
    }
}
