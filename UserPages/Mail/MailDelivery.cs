using MimeKit;

namespace UserPages.Mail;

/// <summary>Where the sender hands mail over: an SMTP server (<see cref="SmtpDelivery"/>) or the pickup folder (<see cref="PickupFolderDelivery"/>).</summary>
public interface IMailDelivery
{
    /// <summary>Opens what one batch is sent through (an SMTP session); throws when it cannot.</summary>
    Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>What a failure of <see cref="ConnectAsync"/> or a send means, in words that never carry an address.</summary>
    DeliveryFailure Explain(Exception exception);
}

/// <summary>One batch's way out.</summary>
public interface IMailConnection : IAsyncDisposable
{
    /// <summary>False once the connection broke: the rest of the batch waits for a new one.</summary>
    bool IsUsable { get; }

    /// <summary>Returns once the server (or the folder) has accepted the message; throws otherwise.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Why an attempt failed. <see cref="Reason"/> is the metric's <c>reason</c>; <see cref="Detail"/> goes to the log and
/// the outbox row (a status code, an exception type, never the server's text, which may quote the address).
/// <see cref="Permanent"/>: retrying cannot help (an SMTP 5xx).
/// </summary>
public sealed record DeliveryFailure(string Reason, string Detail, bool Permanent);
