namespace UserPages.Mail;

/// <summary>When a failed message is tried again: exponential backoff with jitter, until <see cref="OutboxOptions.GiveUpAfter"/>.</summary>
public static class RetryPolicy
{
    /// <summary>The next attempt's time, or null when the message has failed for long enough to be given up.</summary>
    /// <param name="attempts">Attempts made so far, the failed one included.</param>
    public static DateTime? NextAttempt(OutboxOptions policy, DateTime queuedAt, int attempts, DateTime now, Random random)
    {
        var giveUpAt = queuedAt + policy.GiveUpAfter;
        if (now >= giveUpAt)
        {
            return null;
        }

        var doubled = policy.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = Math.Min(doubled, policy.MaxRetryDelay.TotalSeconds);

        // Half the delay plus a random half: senders retrying after one outage spread out instead of arriving together.
        var jittered = TimeSpan.FromSeconds((delay / 2) + (random.NextDouble() * delay / 2));

        // The last attempt is made at the give-up time, not skipped because the backoff overshot it.
        var next = now + jittered;
        return next < giveUpAt ? next : giveUpAt;
    }
}
