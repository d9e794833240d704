using Microsoft.Extensions.Options;
using MimeKit;
using UserPages.Data;
using UserPages.Health;
using UserPages.Telemetry;

namespace UserPages.Mail;

/// <summary>
/// Delivers the outbox, on every instance: claims a batch of due messages (no other instance takes them while the
/// claim holds), sends them over one connection, marks a failure at once and what was sent in one commit at the end
/// of the batch. A claim left by a killed process expires and is taken again; at shutdown the message in flight is
/// finished and the rest released. A crash before the batch's mark sends its messages again, with the same Message-IDs.
/// </summary>
public sealed partial class OutboxSender(
    MailOutbox outbox,
    IMailDelivery delivery,
    IOptions<MailOptions> options,
    DatabaseOutage outage,
    UserPagesMetrics metrics,
    TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    private readonly OutboxOptions _policy = options.Value.Outbox;
    private readonly MailboxAddress _from = MailboxAddress.Parse(options.Value.From is { Length: > 0 } from ? from : OutboxMimeMessage.DefaultFrom);
    private OutboxBacklog? _backlog;

    /// <summary>The queue as last read (every <see cref="OutboxOptions.GaugeInterval"/>), for the gauges; null before the first read.</summary>
    public OutboxBacklog? LastBacklog => Volatile.Read(ref _backlog);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveMailQueue(() => LastBacklog is { } queue ? (queue.Due + queue.Sending + queue.Retrying, queue.OldestUnsentAge) : null);
        var nextSweep = DateTimeOffset.MinValue;
        var nextGauge = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                if (time.GetUtcNow() >= nextGauge)
                {
                    Volatile.Write(ref _backlog, await outbox.ReadBacklogAsync(stoppingToken));
                    nextGauge = time.GetUtcNow() + _policy.GaugeInterval;
                }

                if (time.GetUtcNow() >= nextSweep)
                {
                    if (await outbox.DeleteFinishedAsync(_policy.Retention, stoppingToken) is > 0 and var deleted)
                    {
                        LogDeleted(logger, deleted);
                    }

                    nextSweep = time.GetUtcNow() + _policy.SweepInterval;
                }

                var claim = await outbox.ClaimAsync(_policy.BatchSize, _policy.ClaimTimeout, stoppingToken);
                busy = claim.Messages.Count > 0;
                if (busy)
                {
                    await DeliverAsync(claim, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (DatabaseErrors.Classify(exception) == DatabaseErrorKind.Failure)
            {
                // One incident log for the whole app, however many polls fail; mail waits in the outbox meanwhile.
                outage.ReportFailure(exception);
                busy = false;
            }
            catch (Exception exception)
            {
                LogSenderFailed(logger, exception.GetType().Name, exception);
                busy = false;
            }

            // After a batch there may be more: go on at once; otherwise wait for mail to fall due.
            if (!busy)
            {
                try
                {
                    await Task.Delay(_policy.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(OutboxClaim claim, CancellationToken stoppingToken)
    {
        var done = 0;
        var sent = new List<long>(claim.Messages.Count);
        IMailConnection? connection = null;
        try
        {
            foreach (var message in claim.Messages)
            {
                // Stopping, or too little of the claim left to finish a send: the rest goes back, due at once.
                if (stoppingToken.IsCancellationRequested || time.GetUtcNow().UtcDateTime + _policy.SendTimeout > claim.Until)
                {
                    break;
                }

                // Not the stopping token: a send in flight at shutdown is finished, within its own timeout.
                using var timeout = new CancellationTokenSource(_policy.SendTimeout, time);
                DeliveryFailure? failure = null;
                try
                {
                    connection ??= await delivery.ConnectAsync(timeout.Token);
                }
                catch (Exception exception)
                {
                    // Nothing of this batch can go out: each message counts the attempt and waits its turn again.
                    failure = delivery.Explain(exception);
                    foreach (var unsent in claim.Messages.Skip(done))
                    {
                        await RecordFailureAsync(claim, unsent, failure);
                        done++;
                    }

                    return;
                }

                try
                {
                    await connection.SendAsync(OutboxMimeMessage.Create(message, _from), timeout.Token);
                }
                catch (Exception exception)
                {
                    failure = delivery.Explain(exception);
                }

                if (failure is null)
                {
                    metrics.MailSent();
                    sent.Add(message.Id);
                }
                else
                {
                    await RecordFailureAsync(claim, message, failure);
                }

                done++;
                if (!connection.IsUsable)
                {
                    // The connection broke: the rest goes back and the next batch opens a new one.
                    break;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            // One commit for the batch's sent mail (on SQLite each commit is an fsync the signups wait behind too).
            if (sent.Count > 0 && await outbox.MarkSentAsync(claim, sent, CancellationToken.None) is var marked && marked < sent.Count)
            {
                LogClaimLost(logger, sent.Count - marked);
            }

            if (done < claim.Messages.Count && await outbox.ReleaseAsync(claim, CancellationToken.None) is > 0 and var released)
            {
                LogReleased(logger, released);
            }
        }
    }

    // Marks use no cancellation: what happened is recorded even while the app stops.
    private async Task RecordFailureAsync(OutboxClaim claim, OutboxMessage message, DeliveryFailure failure)
    {
        metrics.MailFailed(failure.Reason);
        var now = time.GetUtcNow().UtcDateTime;
        var next = failure.Permanent ? null : RetryPolicy.NextAttempt(_policy, message.QueuedAt, message.Attempts, now, Random.Shared);
        if (next is { } dueAt)
        {
            await outbox.RetryLaterAsync(claim, message.Id, dueAt, failure.Detail, CancellationToken.None);
            LogRetrying(logger, message.Id, message.Attempts, failure.Detail, dueAt);
            return;
        }

        var reason = failure.Permanent ? "refused" : "expired";
        var detail = failure.Permanent ? failure.Detail : $"gave up after {message.Attempts} attempts: {failure.Detail}";
        await outbox.MarkDeadAsync(claim, message.Id, detail, CancellationToken.None);
        metrics.MailDead(reason);
        LogDead(logger, message.Id, message.Attempts, detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {OutboxId} attempt {Attempt} failed ({Detail}); next attempt at {DueAt:o}.")]
    private static partial void LogRetrying(ILogger logger, long outboxId, int attempt, string detail, DateTime dueAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {OutboxId} is dead after {Attempt} attempt(s): {Detail}. `UserPages mail retry-dead` queues it again.")]
    private static partial void LogDead(ILogger logger, long outboxId, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} mail message(s) were accepted after their claim had expired and been taken again: they may arrive twice, with the same Message-ID.")]
    private static partial void LogClaimLost(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} claimed mail message(s) unsent; they are due again.")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} sent or dead mail message(s) past their retention.")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail sender failed ({ErrorType}); it tries again at its next poll.")]
    private static partial void LogSenderFailed(ILogger logger, string errorType, Exception exception);
}
