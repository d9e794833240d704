using System.Text.Json;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>Everything stored about one listed entry, as "download my data" and <c>users export</c> hand it out; token hashes are left out, being of no use to anyone.</summary>
public sealed record PersonalData(
    DateTime ExportedAt,
    long Id,
    string Username,
    string Email,
    DateTime CreatedAt,
    DateTime? ConfirmedAt,
    int RowVersion,
    IReadOnlyList<PersonalData.EmailChange> PendingEmailChanges,
    IReadOnlyList<PersonalData.ManageLink> ManageLinks,
    IReadOnlyList<PersonalData.Mail> MailToYou)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static PersonalData Of(User entry, IReadOnlyList<EntryToken> links, IReadOnlyList<StoredMail> mail, DateTime now) => new(
        now,
        entry.Id,
        entry.Username,
        entry.Email,
        entry.CreatedAt,
        entry.ConfirmedAt,
        entry.RowVersion,
        [.. links.Where(link => link.Purpose == TokenPurpose.ChangeEmail).Select(link => new EmailChange(link.NewEmail ?? "", link.CreatedAt, link.ExpiresAt))],
        [.. links.Where(link => link.Purpose == TokenPurpose.Manage).Select(link => new ManageLink(link.CreatedAt, link.ExpiresAt))],
        [.. mail.Select(m => new Mail(m.Subject, m.State switch { 0 => "queued", 1 => "sent", _ => "given up" }, m.QueuedAt, m.FinishedAt))]);

    public static byte[] ToJson(PersonalData data) => JsonSerializer.SerializeToUtf8Bytes(data, Json);

    /// <summary>A move to another address, waiting for that address to confirm it.</summary>
    public sealed record EmailChange(string NewEmail, DateTime CreatedAt, DateTime ExpiresAt);

    /// <summary>A manage link not yet used (only its hash is stored).</summary>
    public sealed record ManageLink(DateTime CreatedAt, DateTime ExpiresAt);

    public sealed record Mail(string Subject, string State, DateTime QueuedAt, DateTime? FinishedAt);
}
