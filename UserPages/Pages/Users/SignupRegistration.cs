using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Hosting;

namespace UserPages.Pages.Users;

/// <summary>A signup as the form posted it, with the client address its mail is counted against.</summary>
public sealed record SignupRequest(NewUser User, string ClientAddress);

/// <summary>What a signup came to, as the form answers it.</summary>
public enum SignupOutcome
{
    /// <summary>Listed at once (confirmation off).</summary>
    Listed,

    /// <summary>A mail went to the address: a confirmation link, or, when the address already has an entry, a notice.</summary>
    CheckInbox,

    UsernameTaken,

    /// <summary>Only with confirmation off: the form then says so, as before confirmation existed.</summary>
    EmailTaken,

    /// <summary>The address or the client asked for too much mail this hour.</summary>
    TooManyMails,

    /// <summary>Every instance together took <see cref="SignupOptions.NewEntriesPerMinute"/> new entries this minute.</summary>
    TooManyNewEntries,
}

/// <summary>
/// What a signup came to: the listed user's id, or the link in its mail (shown only in Development); <see cref="Undo"/>
/// when nothing of it may be kept.
/// </summary>
public readonly record struct SignupResult(SignupOutcome Outcome, Uri? MailedLink = null, bool Undo = false, long UserId = 0)
{
    public static SignupResult Refused(SignupOutcome outcome) => new(outcome, Undo: true);
}

/// <summary>
/// One signup inside the signup writer's unit of work. With confirmation on, a new address becomes a pending signup
/// and gets its confirmation link; an address that already has an entry, listed or pending, gets a notice instead, and
/// the form cannot tell the two apart. A taken username is a 409 either way: usernames are public in the listing.
/// </summary>
public sealed class SignupRegistration(
    UserRepository users,
    PendingSignupRepository pending,
    MailThrottle throttle,
    EntryMail mail,
    IOptions<SignupOptions> options,
    IOptions<RateLimitingOptions> limits,
    TimeProvider clock)
{
    public async Task<SignupResult> RegisterAsync(UnitOfWork unit, SignupRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var user = request.User;
        if (!settings.RequireConfirmedEmail)
        {
            var added = await users.AddAsync(unit, user, cancellationToken);
            return added.Conflict switch
            {
                null => new SignupResult(SignupOutcome.Listed, UserId: added.Id),
                UserField.Username => SignupResult.Refused(SignupOutcome.UsernameTaken),
                _ => SignupResult.Refused(SignupOutcome.EmailTaken),
            };
        }

        if (await pending.IsUsernameKnownAsync(unit, user.Username, cancellationToken))
        {
            return SignupResult.Refused(SignupOutcome.UsernameTaken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (!await MayMailAsync(unit, user.Email, request.ClientAddress, now, cancellationToken))
        {
            return SignupResult.Refused(SignupOutcome.TooManyMails);
        }

        // Before the address is looked at, and for a known address as for a new one: were the ceiling to spare known
        // addresses, a 302 past it would say that an address has an entry.
        if (!await MayAddEntryAsync(unit, now, cancellationToken))
        {
            return SignupResult.Refused(SignupOutcome.TooManyNewEntries);
        }

        // Both lookups whatever the first finds, so a known address costs what a new one does: the answer's timing
        // must not tell them apart either.
        var listed = await users.GetByEmailAsync(unit, user.Email, cancellationToken);
        var waiting = await pending.GetByEmailAsync(unit, user.Email, cancellationToken);
        if (listed is not null)
        {
            return new SignupResult(SignupOutcome.CheckInbox, await mail.SendAddressHasEntryAsync(unit, listed, now, cancellationToken));
        }

        var token = OneTimeToken.New(TokenPurpose.ConfirmSignup);
        if (waiting is not null)
        {
            // The owner may have lost the first mail: a fresh link, the same deadline, the earlier link dead.
            await pending.ReplaceTokenAsync(unit, waiting.Id, token, cancellationToken);
            return new SignupResult(SignupOutcome.CheckInbox, await mail.SendConfirmationAsync(unit, waiting.Username, waiting.Email, token, waiting.ExpiresAt, cancellationToken));
        }

        var expiresAt = now + settings.PendingLifetime;
        var signup = new PendingSignup { Username = user.Username, Email = user.Email, TokenHash = token.Hash, CreatedAt = now, ExpiresAt = expiresAt };
        return await pending.AddAsync(unit, signup, cancellationToken) switch
        {
            null => new SignupResult(SignupOutcome.CheckInbox, await mail.SendConfirmationAsync(unit, user.Username, user.Email, token, expiresAt, cancellationToken)),
            UserField.Username => SignupResult.Refused(SignupOutcome.UsernameTaken),
            // A signup with the same address committed a moment ago and mailed it: this one answers as it did.
            _ => new SignupResult(SignupOutcome.CheckInbox, Undo: true),
        };
    }

    /// <summary>Counts a mail-sending request against the recipient and the client, unless limits are off (benchmarks).</summary>
    public async Task<bool> MayMailAsync(UnitOfWork unit, string recipient, string clientAddress, DateTime now, CancellationToken cancellationToken)
    {
        if (!limits.Value.Enabled)
        {
            return true;
        }

        var settings = options.Value;
        return await throttle.TryCountAsync(
            unit, [($"to:{recipient}", settings.MailsPerAddress), ($"from:{clientAddress}", settings.MailsPerClient)], now, settings.MailWindow, cancellationToken);
    }

    // Inside the writer's unit, so earlier signups of the same group count, and an undone signup's count is undone too.
    private async Task<bool> MayAddEntryAsync(UnitOfWork unit, DateTime now, CancellationToken cancellationToken) =>
        !limits.Value.Enabled || await throttle.TryCountAsync(
            unit, [(NewEntryCeiling.ThrottleKey, options.Value.NewEntriesPerMinute)], now, NewEntryCeiling.Window, cancellationToken);
}
