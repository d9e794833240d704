using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Health;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>
/// Every <c>Signup:SweepInterval</c>, on every instance: removes pending signups past their lifetime (freeing their
/// usernames and emails), links past theirs, and throttle rows older than the mail window (or the new-entry ceiling's
/// minute). Each is one idempotent DELETE by time, so instances sweeping at once simply find less to do.
/// </summary>
public sealed partial class ExpiredEntrySweeper(
    Database database,
    PendingSignupRepository pending,
    EntryTokenRepository tokens,
    MailThrottle throttle,
    IOptions<SignupOptions> options,
    TimeProvider clock,
    DatabaseOutage outage,
    UserPagesMetrics metrics,
    ILogger<ExpiredEntrySweeper> logger) : BackgroundService
{
    /// <summary>Runs one sweep now; how many pending signups expired.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        var expired = await pending.DeleteExpiredAsync(unit, now, cancellationToken);
        await tokens.DeleteExpiredAsync(unit, now, cancellationToken);
        // The ceiling's minute is counted in the same table: a mail window shorter than that must not cut it short.
        var window = options.Value.MailWindow > NewEntryCeiling.Window ? options.Value.MailWindow : NewEntryCeiling.Window;
        await throttle.DeleteBeforeAsync(unit, now - window, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        metrics.EntryEvent(EntryEvent.Expired, expired);
        if (expired > 0)
        {
            LogExpired(logger, expired);
        }

        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (DatabaseErrors.Classify(exception) == DatabaseErrorKind.Failure)
            {
                // The next sweep tries again; one incident log for the whole app.
                outage.ReportFailure(exception);
            }
            catch (Exception exception)
            {
                LogSweepFailed(logger, exception.GetType().Name, exception);
            }

            try
            {
                await Task.Delay(options.Value.SweepInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} pending signups that were not confirmed in time.")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sweep of expired pending signups and links failed ({Error}); it runs again after Signup:SweepInterval.")]
    private static partial void LogSweepFailed(ILogger logger, string error, Exception exception);
}
