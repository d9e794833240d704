using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>
/// The signup form's invisible checks, with no script and no outside service: a honeypot field people never see or
/// reach, and the form's render time, signed with Data Protection (so every instance reads it), which must be at least
/// <see cref="SignupOptions.MinimumFillTime"/> and at most <see cref="SignupOptions.FormLifetime"/> old when posted.
/// A post that fails is counted by reason and logged at most once a minute, never with what it carried.
/// </summary>
public sealed partial class SignupBotCheck(
    IDataProtectionProvider protection, IOptions<SignupOptions> options, TimeProvider clock, UserPagesMetrics metrics, ILogger<SignupBotCheck> logger)
{
    /// <summary>The honeypot's name: nothing an autofill heuristic maps to a person's details (name, email, address…).</summary>
    public const string HoneypotField = "Remarks";

    /// <summary>The hidden field with the signed render time.</summary>
    public const string StampField = "FormStamp";

    private readonly IDataProtector _protector = protection.CreateProtector("UserPages.Signup.FormStamp");

    private long _nextLogTicks;
    private int _unlogged;
    private Signed? _latest;

    /// <summary>
    /// A stamp for a form rendered now. Forms rendered within a twentieth of <see cref="SignupOptions.MinimumFillTime"/>
    /// share one: signing is among the GET's costliest steps (docs/performance.md), and a stamp that much older
    /// than its form changes no answer a person gets.
    /// </summary>
    public string Stamp()
    {
        var now = clock.GetUtcNow();
        if (_latest is { } latest && now >= latest.RenderedAt && now - latest.RenderedAt < options.Value.MinimumFillTime / 20)
        {
            return latest.Stamp;
        }

        var signed = new Signed(now, StampAt(now));
        _latest = signed;
        return signed.Stamp;
    }

    /// <summary>
    /// A stamp for the form shown again with errors: that person already took the time to fill it in once, so their
    /// correction may be posted at once, and the form's life starts again.
    /// </summary>
    public string StampForCorrection() => StampAt(clock.GetUtcNow() - options.Value.MinimumFillTime);

    /// <summary>Why the post is a bot's, counted and logged; null when it passes as a person's.</summary>
    public SignupRefusal? Refusal(string? honeypot, string? stamp)
    {
        var refusal = Check(honeypot, stamp);
        if (refusal is { } reason)
        {
            metrics.SignupRefused(reason);
            LogAtMostOnceAMinute(reason);
        }

        return refusal;
    }

    private SignupRefusal? Check(string? honeypot, string? stamp)
    {
        if (!options.Value.CheckForBots)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(honeypot))
        {
            return SignupRefusal.Honeypot;
        }

        if (RenderedAt(stamp) is not { } rendered)
        {
            return SignupRefusal.BadStamp;
        }

        var age = clock.GetUtcNow() - rendered;
        var settings = options.Value;
        return age > settings.FormLifetime ? SignupRefusal.ExpiredStamp
            : age < settings.MinimumFillTime ? SignupRefusal.TooFast
            : null;
    }

    private string StampAt(DateTimeOffset rendered) => _protector.Protect(rendered.UtcTicks.ToString(CultureInfo.InvariantCulture));

    private DateTimeOffset? RenderedAt(string? stamp)
    {
        if (string.IsNullOrEmpty(stamp))
        {
            return null;
        }

        try
        {
            return long.TryParse(_protector.Unprotect(stamp), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // A bot can post thousands a minute: one line a minute says it is happening without flooding the log.
    private void LogAtMostOnceAMinute(SignupRefusal reason)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextLogTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextLogTicks, now + TimeSpan.TicksPerMinute, next) != next)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }

        var unlogged = Interlocked.Exchange(ref _unlogged, 0);
        BotPostRefused(reason, unlogged);
    }

    private sealed record Signed(DateTimeOffset RenderedAt, string Stamp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a signup post as a bot's ({Reason}), answered as if stored; {Unlogged} more were refused since the last such line (userpages.signups.refused counts them all).")]
    private partial void BotPostRefused(SignupRefusal reason, int unlogged);
}
