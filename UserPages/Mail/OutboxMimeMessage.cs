using MimeKit;
using UserPages.Data;

namespace UserPages.Mail;

/// <summary>A queued message as MIME: the same Message-ID and Date on every attempt, so a resend is recognisably the same mail.</summary>
public static class OutboxMimeMessage
{
    /// <summary>The sender when Mail:From is not set (pickup folder only: SMTP requires it).</summary>
    public const string DefaultFrom = "UserPages <userpages@localhost>";

    public static MimeMessage Create(OutboxMessage queued, MailboxAddress from)
    {
        var message = new MimeMessage
        {
            MessageId = $"{queued.MessageId}@{from.Domain}",
            Date = queued.QueuedAt,
            Subject = queued.Subject,
            Body = new TextPart("plain") { Text = queued.Body },
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(queued.Recipient));
        return message;
    }
}
