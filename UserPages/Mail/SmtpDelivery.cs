using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace UserPages.Mail;

/// <summary>Delivery through the SMTP server <c>Mail:Smtp:*</c> names, with MailKit: one session per batch.</summary>
public sealed class SmtpDelivery(IOptions<MailOptions> options) : IMailDelivery
{
    private readonly SmtpOptions _smtp = options.Value.Smtp;
    private readonly int _timeoutMilliseconds = (int)options.Value.Outbox.SendTimeout.TotalMilliseconds;

    public async Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = _timeoutMilliseconds };
        try
        {
            var security = _smtp.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.SslOnConnect,
            };
            await client.ConnectAsync(_smtp.Host!, _smtp.PortOrDefault, security, cancellationToken);
            if (!string.IsNullOrEmpty(_smtp.Username))
            {
                await client.AuthenticateAsync(_smtp.Username, _smtp.Password ?? "", cancellationToken);
            }

            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public DeliveryFailure Explain(Exception exception) => exception switch
    {
        // The status code only: the server's own text often quotes the address it refused.
        SmtpCommandException command => new((int)command.StatusCode >= 500 ? "refused" : "deferred",
            $"SMTP {(int)command.StatusCode} {command.ErrorCode}", Permanent: (int)command.StatusCode >= 500),
        ParseException => new("invalid_address", "the recipient is not an address", Permanent: true),
        AuthenticationException => new("authentication", "SMTP authentication failed", Permanent: false),
        SslHandshakeException => new("tls", "TLS handshake failed", Permanent: false),
        SocketException socket => new("unreachable", $"{socket.SocketErrorCode}", Permanent: false),
        SmtpProtocolException or IOException or TimeoutException or OperationCanceledException or ServiceNotConnectedException
            => new("unreachable", exception.GetType().Name, Permanent: false),
        _ => new("error", exception.GetType().Name, Permanent: false),
    };

    private sealed class Connection(SmtpClient client) : IMailConnection
    {
        public bool IsUsable => client.IsConnected;

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => client.SendAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or SmtpProtocolException or SmtpCommandException or TimeoutException)
            {
                // Everything sent is already accepted; a QUIT that fails loses nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
