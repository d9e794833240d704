using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using UserPages.Data;
using UserPages.Health;

namespace UserPages.Hosting;

/// <summary>
/// The one place that decides what an expected exception answers: a failing database is a 503 with Retry-After and
/// an incident for <see cref="DatabaseOutage"/>, a malformed request the 4xx it carries. Both leave the body to the
/// status code pages, and neither is logged per request (the framework does not log what an exception handler took).
/// </summary>
public sealed class ExpectedFailureHandler(DatabaseOutage outage) : IExceptionHandler
{
    /// <summary>How long a client is asked to wait after a database failure before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The exception handler middleware has cleared the response by now, so what is set here is what is sent.
        var response = httpContext.Response;
        switch (exception)
        {
            case BadHttpRequestException badRequest:
                response.StatusCode = badRequest.StatusCode;
                return ValueTask.FromResult(true);
            case var failure when Database.IsFailure(failure):
                outage.ReportFailure(failure);
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return ValueTask.FromResult(true);
            default:
                return ValueTask.FromResult(false);
        }
    }
}
