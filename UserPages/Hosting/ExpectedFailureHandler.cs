using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using UserPages.Data;
using UserPages.Health;

namespace UserPages.Hosting;

/// <summary>
/// The one place that decides what an expected exception answers: a failing database is a 503 with Retry-After and
/// an incident for <see cref="DatabaseOutage"/>; a malformed request, or a value of it the database refused, the 4xx it
/// deserves. All leave the body to the status code pages. Only a refused value is logged, as the validator gap it is
/// (the framework does not log what an exception handler took).
/// </summary>
public sealed partial class ExpectedFailureHandler(DatabaseOutage outage, ILogger<ExpectedFailureHandler> logger) : IExceptionHandler
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
            case DbException refused when DatabaseErrors.Classify(refused) == DatabaseErrorKind.RefusedValue:
                // Neither the message nor the exception: both may quote the value, which is the client's.
                LogValueRefused(logger, refused.GetType().Name, refused.SqlState ?? refused.ErrorCode.ToString(CultureInfo.InvariantCulture));
                response.StatusCode = StatusCodes.Status400BadRequest;
                return ValueTask.FromResult(true);
            case var failure when DatabaseErrors.Classify(failure) == DatabaseErrorKind.Failure:
                outage.ReportFailure(failure);
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return ValueTask.FromResult(true);
            default:
                return ValueTask.FromResult(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database refused a value from a request ({ErrorType} {Code}); answered 400. A validator should have refused it first.")]
    private static partial void LogValueRefused(ILogger logger, string errorType, string code);
}
