using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace UserPages.Mail;

/// <summary>How <c>Mail:Smtp:Security</c> protects the connection to the SMTP server.</summary>
public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>
/// Where mail goes: <c>Mail:Smtp:*</c> when <c>Mail:Smtp:Host</c> is set, otherwise <c>.eml</c> files in
/// <c>Mail:PickupFolder</c> (by default <c>App_Data/mail/</c> beside the database). <c>Mail:Outbox:*</c> is the
/// sender's policy.
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = "Mail";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, as <c>Name &lt;address&gt;</c> or a bare address; required with SMTP.</summary>
    public string? From { get; set; }

    /// <summary>Where the embedded delivery writes <c>.eml</c> files; relative to the content root.</summary>
    public string? PickupFolder { get; set; }

    public OutboxOptions Outbox { get; set; } = new();

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesSmtp && string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult("Mail:From is not set: SMTP delivery (Mail:Smtp:Host) needs a sender address.");
        }

        if (!string.IsNullOrWhiteSpace(From) && !MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Mail:From is not an address like 'UserPages <noreply@example.com>'.");
        }

        if (Smtp.Port is < 0 or > 65535)
        {
            yield return new ValidationResult("Mail:Smtp:Port must be between 1 and 65535 (or unset for the security's usual port).");
        }

        if (string.IsNullOrEmpty(Smtp.Username) != string.IsNullOrEmpty(Smtp.Password))
        {
            yield return new ValidationResult("Mail:Smtp:Username and Mail:Smtp:Password are set together or not at all.");
        }

        foreach (var (name, value) in Outbox.Durations())
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"Mail:Outbox:{name} must be longer than zero.");
            }
        }

        if (Outbox.ClaimTimeout <= Outbox.SendTimeout)
        {
            yield return new ValidationResult("Mail:Outbox:ClaimTimeout must be longer than Mail:Outbox:SendTimeout: a claim must outlast a send.");
        }

        if (Outbox.BatchSize is < 1 or > 1000)
        {
            yield return new ValidationResult("Mail:Outbox:BatchSize must be between 1 and 1000.");
        }
    }
}

/// <summary><c>Mail:Smtp:*</c>: the SMTP server MailKit delivers to.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>0 (unset) means the security's usual port: 25, 587 for StartTls, 465 for SslOnConnect.</summary>
    public int Port { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public int PortOrDefault => Port != 0 ? Port : Security switch
    {
        SmtpSecurity.None => 25,
        SmtpSecurity.StartTls => 587,
        _ => 465,
    };
}

/// <summary><c>Mail:Outbox:*</c>: how the sender claims, retries, gives up and forgets.</summary>
public sealed class OutboxOptions
{
    /// <summary>How often an idle sender looks for due mail.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages claimed at once, sent over one SMTP connection.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>How long a claim holds; one a killed process left is taken again after it.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one SMTP command (connect, send) may take before the attempt counts as failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after the first failure; it doubles with every failure after, with jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A message still failing this long after it was queued is dead.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long sent and dead messages are kept before they are deleted (they hold personal data).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention sweep runs and the queue's gauges are refreshed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(15);

    internal IEnumerable<(string Name, TimeSpan Value)> Durations() =>
    [
        (nameof(PollInterval), PollInterval), (nameof(ClaimTimeout), ClaimTimeout), (nameof(SendTimeout), SendTimeout),
        (nameof(FirstRetryDelay), FirstRetryDelay), (nameof(MaxRetryDelay), MaxRetryDelay), (nameof(GiveUpAfter), GiveUpAfter),
        (nameof(Retention), Retention), (nameof(SweepInterval), SweepInterval), (nameof(GaugeInterval), GaugeInterval),
    ];
}
