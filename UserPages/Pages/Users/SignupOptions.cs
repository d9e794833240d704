using System.ComponentModel.DataAnnotations;

namespace UserPages.Pages.Users;

/// <summary>
/// <c>Signup:*</c>: whether a signup must prove its address, how long links and sessions last, and what the form's
/// bot checks and the ceiling on new entries allow.
/// </summary>
public sealed class SignupOptions : IValidatableObject
{
    public const string SectionName = "Signup";

    /// <summary>
    /// On (the default), a signup is listed only once its address is confirmed by a link in mail. Off, for closed
    /// deployments, a signup is listed at once and a taken email is a 409, as before confirmation existed.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>How long a pending signup holds its username and email, and its confirmation link works.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a manage link, or an email change's confirmation link, works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a manage session lasts after its link is used; it is never extended.</summary>
    public TimeSpan ManageSessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Mail-sending requests per recipient address within <see cref="MailWindow"/>, then a 429.</summary>
    [Range(1, 1000)]
    public int MailsPerAddress { get; set; } = 3;

    /// <summary>Mail-sending requests per client address within <see cref="MailWindow"/>, then a 429.</summary>
    [Range(1, 100_000)]
    public int MailsPerClient { get; set; } = 20;

    public TimeSpan MailWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an instance removes expired pending signups, links and throttle rows; at most a day.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// On (the default), the form's honeypot and signed render time refuse bots (<see cref="SignupBotCheck"/>). Off
    /// only to measure what they cost, or for a closed deployment whose own scripts post the form.
    /// </summary>
    public bool CheckForBots { get; set; } = true;

    /// <summary>A post sooner than this after its form was rendered is a bot's; zero turns the check off.</summary>
    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a rendered form's signed time stays good, however often it is posted.</summary>
    public TimeSpan FormLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Signups that would mail, a minute across every instance, known addresses too; then a 429 (off with <c>RateLimiting:Enabled</c>).</summary>
    [Range(1, 1_000_000)]
    public int NewEntriesPerMinute { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
        {
            (nameof(PendingLifetime), PendingLifetime), (nameof(LinkLifetime), LinkLifetime),
            (nameof(ManageSessionLifetime), ManageSessionLifetime), (nameof(MailWindow), MailWindow), (nameof(SweepInterval), SweepInterval),
            (nameof(FormLifetime), FormLifetime),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"Signup:{name} must be longer than zero.");
            }
        }

        if (MinimumFillTime < TimeSpan.Zero || MinimumFillTime >= FormLifetime)
        {
            yield return new ValidationResult("Signup:MinimumFillTime must be zero (off) or more, and shorter than Signup:FormLifetime.");
        }

        if (SweepInterval > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Signup:SweepInterval must be a day or less: expired entries would hold their names longer than that.");
        }
    }
}
