using UserPages.Data;
using UserPages.Telemetry;

namespace UserPages.Health;

/// <summary>
/// One database incident at a time: logged once when the first request fails and once when the database answers
/// reads and writes again, however many requests fail in between (a down database under load would otherwise write
/// one stack trace per request). Every failure also drops pooled connections, which may still point at a file that
/// was deleted or replaced, so the app recovers without a restart once the fault is gone.
/// </summary>
public sealed partial class DatabaseOutage(Database database, TimeProvider clock, ILogger<DatabaseOutage> logger, UserPagesMetrics metrics)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private long _failures;

    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _since is not null;
            }
        }
    }

    public void ReportFailure(Exception exception)
    {
        database.ClearPool();
        lock (_gate)
        {
            _failures++;
            if (_since is not null)
            {
                return;
            }

            _since = clock.GetUtcNow();
        }

        metrics.IncidentOpened();
        LogStarted(logger, exception.GetType().Name, exception.Message, exception);
    }

    /// <summary>Called by the health check when the database has just proved it can read and write.</summary>
    public void ReportAnswered()
    {
        TimeSpan lasted;
        long failures;
        lock (_gate)
        {
            if (_since is not { } since)
            {
                return;
            }

            lasted = clock.GetUtcNow() - since;
            failures = _failures;
            _since = null;
            _failures = 0;
        }

        LogEnded(logger, lasted.TotalSeconds, failures);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The database is failing ({ErrorType}: {Reason}). Requests that need it answer 503 until it recovers; further failures are counted, not logged.")]
    private static partial void LogStarted(ILogger logger, string errorType, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database answers again after {Seconds:0.0} s; {Failures} request(s) failed meanwhile.")]
    private static partial void LogEnded(ILogger logger, double seconds, long failures);
}
