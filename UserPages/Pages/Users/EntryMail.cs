using System.Globalization;
using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Mail;

namespace UserPages.Pages.Users;

/// <summary>
/// Every mail about an entry, queued in the caller's unit of work, and the links in them: a new token each, whose
/// value goes into the mail and nowhere else (only its hash is stored). Links are built from
/// <c>App:PublicBaseUrl</c>, never from the request.
/// </summary>
public sealed class EntryMail(MailOutbox outbox, EntryTokenRepository tokens, PublicLinks links, IOptions<SignupOptions> options)
{
    public const string ConfirmSignupSubject = "Confirm your UserPages signup";
    public const string ManageSubject = "Your UserPages manage link";
    public const string ConfirmNewEmailSubject = "Confirm your new UserPages address";
    public const string EmailChangeNoticeSubject = "Your UserPages address is being changed";
    public const string AddressHasEntrySubject = "This address already has a UserPages entry";
    public const string GoodbyeSubject = "Your UserPages entry was deleted";

    /// <summary>The page a confirmation link opens, and its query key.</summary>
    public const string ConfirmPath = "users/confirm";
    public const string ManageOpenPath = "users/manage/open";
    public const string ConfirmEmailPath = "users/manage/confirm-email";
    public const string TokenKey = "token";

    private SignupOptions Settings => options.Value;

    /// <summary>Mails the confirmation link of a pending signup whose token is <paramref name="token"/>.</summary>
    public async Task<Uri> SendConfirmationAsync(UnitOfWork unit, string username, string email, OneTimeToken token, DateTime expiresAt, CancellationToken cancellationToken)
    {
        var link = Link(ConfirmPath, token);
        await outbox.QueueAsync(unit, new OutgoingMail(email, ConfirmSignupSubject, $"""
            Hello {username},

            Someone, hopefully you, signed up on UserPages with this address. To be listed, open this link and press
            "Confirm":

            {link}

            The link works once, until {Utc(expiresAt)}. If it was not you, ignore this mail: the signup is forgotten then,
            and nobody is listed under your address.
            """), cancellationToken);
        return link;
    }

    /// <summary>Issues a manage link for the entry and mails it to the entry's address.</summary>
    public async Task<Uri> SendManageLinkAsync(UnitOfWork unit, User user, DateTime now, CancellationToken cancellationToken)
    {
        var (link, expiresAt) = await IssueAsync(unit, user, TokenPurpose.Manage, ManageOpenPath, newEmail: null, now, cancellationToken);
        await outbox.QueueAsync(unit, new OutgoingMail(user.Email, ManageSubject, $"""
            Hello {user.Username},

            To change or delete your UserPages entry, or to download what we store about you, open this link and press
            "Manage my entry":

            {link}

            The link works once, until {Utc(expiresAt)}. If you did not ask for it, ignore this mail: nothing changes.
            """), cancellationToken);
        return link;
    }

    /// <summary>
    /// Tells an address that already has an entry that someone tried to sign up with it, with a manage link: the form
    /// answers such a signup exactly as a new one, so only the address's owner learns of it.
    /// </summary>
    public async Task<Uri> SendAddressHasEntryAsync(UnitOfWork unit, User user, DateTime now, CancellationToken cancellationToken)
    {
        var (link, expiresAt) = await IssueAsync(unit, user, TokenPurpose.Manage, ManageOpenPath, newEmail: null, now, cancellationToken);
        await outbox.QueueAsync(unit, new OutgoingMail(user.Email, AddressHasEntrySubject, $"""
            Hello {user.Username},

            Someone, maybe you, tried to sign up on UserPages with this address, which already has an entry. Nothing was
            changed. To change or delete your entry, open this link and press "Manage my entry":

            {link}

            The link works once, until {Utc(expiresAt)}. If it was not you, you need not do anything.
            """), cancellationToken);
        return link;
    }

    /// <summary>Mails the new address the link that moves the entry there.</summary>
    public async Task<Uri> SendConfirmNewEmailAsync(UnitOfWork unit, User user, string newEmail, DateTime now, CancellationToken cancellationToken)
    {
        var (link, expiresAt) = await IssueAsync(unit, user, TokenPurpose.ChangeEmail, ConfirmEmailPath, newEmail, now, cancellationToken);
        await outbox.QueueAsync(unit, new OutgoingMail(newEmail, ConfirmNewEmailSubject, $"""
            Hello {user.Username},

            You asked to move your UserPages entry to this address. To do it, open this link and press "Use this address":

            {link}

            The link works once, until {Utc(expiresAt)}. If you did not ask for it, ignore this mail: nothing changes.
            """), cancellationToken);
        return link;
    }

    /// <summary>Tells the current address that a move to another one was asked for.</summary>
    public Task SendEmailChangeNoticeAsync(UnitOfWork unit, User user, string newEmail, CancellationToken cancellationToken) =>
        outbox.QueueAsync(unit, new OutgoingMail(user.Email, EmailChangeNoticeSubject, $"""
            Hello {user.Username},

            Someone with a manage link for your UserPages entry asked to move it to {EmailMask.Mask(newEmail)}. The move
            happens only when that address confirms it; until then your entry keeps this address.

            If it was not you, ask for a manage link at {links.To("users/manage")} and check your entry.
            """), cancellationToken);

    /// <summary>Tells an address that already has an entry that someone tried to move another entry to it.</summary>
    public Task SendNewAddressHasEntryAsync(UnitOfWork unit, string newEmail, CancellationToken cancellationToken) =>
        outbox.QueueAsync(unit, new OutgoingMail(newEmail, AddressHasEntrySubject, $"""
            Hello,

            Someone asked to move a UserPages entry to this address, which already has an entry of its own. Nothing was
            changed. To manage your entry, ask for a link at {links.To("users/manage")}.
            """), cancellationToken);

    /// <summary>The last mail to a deleted entry's address: queued after its other mail was withdrawn.</summary>
    public Task SendGoodbyeAsync(UnitOfWork unit, string username, string email, CancellationToken cancellationToken) =>
        outbox.QueueAsync(unit, new OutgoingMail(email, GoodbyeSubject, $"""
            Hello {username},

            Your UserPages entry was deleted, as asked: your username and this address are no longer stored, and the
            mail we still had queued for you was withdrawn. This is the last mail you get from us.
            """), cancellationToken);

    /// <summary>A new link of the entry's for <paramref name="purpose"/>, stored as its hash; the link and when it expires.</summary>
    private async Task<(Uri Link, DateTime ExpiresAt)> IssueAsync(
        UnitOfWork unit, User user, TokenPurpose purpose, string path, string? newEmail, DateTime now, CancellationToken cancellationToken)
    {
        var token = OneTimeToken.New(purpose);
        var expiresAt = now + Settings.LinkLifetime;
        await tokens.AddAsync(unit, user.Id, purpose, token, newEmail, now, expiresAt, cancellationToken);
        return (Link(path, token), expiresAt);
    }

    private Uri Link(string path, OneTimeToken token) => links.To($"{path}?{TokenKey}={token.Value}");

    private static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
