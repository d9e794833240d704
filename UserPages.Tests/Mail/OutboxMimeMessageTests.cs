using System.Runtime.CompilerServices;
using MimeKit;
using UserPages.Data;
using UserPages.Mail;

namespace UserPages.Tests.Mail;

/// <summary>
/// The sender builds every message with one sender address for the life of the process: a built message must not stay
/// reachable through it once sent (a MimeKit address list subscribes to its addresses' Changed events).
/// </summary>
public sealed class OutboxMimeMessageTests
{
    [Fact]
    public void A_built_message_is_not_kept_alive_by_the_shared_sender_address()
    {
        var from = MailboxAddress.Parse(OutboxMimeMessage.DefaultFrom);

        var built = Build(from);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(built.IsAlive, "The message outlived its send: the shared sender address still refers to it.");
        GC.KeepAlive(from);
    }

    [Fact]
    public void A_built_message_carries_the_sender_its_id_date_and_recipient()
    {
        var from = MailboxAddress.Parse("UserPages <noreply@userpages.test>");
        var queuedAt = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

        using var message = OutboxMimeMessage.Create(Queued("reader@example.com", queuedAt), from);

        Assert.Equal("\"UserPages\" <noreply@userpages.test>", message.From.ToString());
        Assert.Equal("0123456789abcdef@userpages.test", message.MessageId);
        Assert.Equal(queuedAt, message.Date.UtcDateTime);
        Assert.Equal("reader@example.com", Assert.Single(message.To.Mailboxes).Address);
    }

    // Not inlined: the message must be unreachable from the test's own frame when the collector runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Build(MailboxAddress from) =>
        new(OutboxMimeMessage.Create(Queued("reader@example.com", DateTime.UtcNow), from));

    private static OutboxMessage Queued(string recipient, DateTime queuedAt) => new()
    {
        Id = 1,
        MessageId = "0123456789abcdef",
        Recipient = recipient,
        Subject = "A subject",
        Body = "A body.",
        Attempts = 1,
        QueuedAt = queuedAt,
    };
}
