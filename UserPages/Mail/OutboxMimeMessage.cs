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
        // A copy each time: an address list subscribes to its addresses' Changed event, so adding the sender's one
        // shared instance made it hold every message ever built (about 7 KB each, for the life of the process).
        message.From.Add(new MailboxAddress(from.Name, from.Address));
        message.To.Add(MailboxAddress.Parse(queued.Recipient));
        return message;
    }
}
