using MimeKit;

namespace UserPages.Mail;

/// <summary>
/// The embedded delivery: each message as an <c>.eml</c> file in the pickup folder, named for its Message-ID, so a
/// resend overwrites the same file. Written beside and then renamed, so a reader never sees half a message.
/// </summary>
public sealed class PickupFolderDelivery(string folder) : IMailDelivery
{
    public string Folder { get; } = folder;

    public Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        return Task.FromResult<IMailConnection>(new Connection(Folder));
    }

    public DeliveryFailure Explain(Exception exception) => exception is ParseException
        ? new("invalid_address", "the recipient is not an address", Permanent: true)
        : new("pickup_folder", exception.GetType().Name, Permanent: false);

    private sealed class Connection(string folder) : IMailConnection
    {
        public bool IsUsable => true;

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var name = $"{message.Date.UtcDateTime:yyyyMMdd-HHmmss}-{message.MessageId!.Split('@')[0]}.eml";
            var path = Path.Combine(folder, name);
            var partial = path + ".partial";
            await message.WriteToAsync(partial, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
