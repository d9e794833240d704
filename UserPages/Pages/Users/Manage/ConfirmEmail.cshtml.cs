using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;
using UserPages.Hosting;
using UserPages.Telemetry;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// The link mailed to a new address. Its GET only shows a "Use this address" button, because mail scanners open
/// links; the POST uses the token up and moves the entry to the address, which the link just proved.
/// </summary>
[NoReferrer]
public sealed class ConfirmEmailModel(
    Database database, EntryTokenRepository tokens, PendingSignupRepository pending, UserRepository users, TimeProvider clock, UserPagesMetrics metrics) : PageModel
{
    private const string BeforeMove = "move";

    [BindProperty(SupportsGet = true, Name = EntryMail.TokenKey)]
    public string? Token { get; set; }

    public string NewEmail { get; private set; } = "";

    /// <summary>Why the link does not work, or null when it does.</summary>
    public LinkProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginReadAsync(cancellationToken);
        await FindAsync(unit, cancellationToken);
        return Problem is null ? Page() : Refused();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        var token = await FindAsync(unit, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (Problem is not null || token is null)
        {
            return Refused();
        }

        if (!await tokens.TakeAsync(unit, token, cancellationToken))
        {
            // Another request used the link a moment ago.
            Problem = LinkProblem.Used;
            return Refused();
        }

        // The address may have gained an entry while the link waited; the link is used up all the same.
        await unit.SavepointAsync(BeforeMove, cancellationToken);
        var moved = await pending.IsEmailKnownAsync(unit, NewEmail, cancellationToken)
            ? EntryChange.Taken
            : await users.ChangeEmailAsync(unit, token.UserId, NewEmail, now, cancellationToken);
        if (moved != EntryChange.Saved)
        {
            await unit.RollbackToSavepointAsync(BeforeMove, cancellationToken);
            await unit.CommitAsync(cancellationToken);
            Problem = moved == EntryChange.Taken ? LinkProblem.EmailTaken : LinkProblem.Unknown;
            return Refused();
        }

        await unit.CommitAsync(cancellationToken);
        metrics.EntryEvent(EntryEvent.EmailChanged);

        // Only the listing declares the property: a page that declared it too would use the message up unseen.
        TempData[nameof(ListingModel.Welcome)] = $"Your entry now has the address {NewEmail}.";
        return RedirectToPage("/Users/Listing");
    }

    private async Task<EntryToken?> FindAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        var hash = OneTimeToken.TryHash(TokenPurpose.ChangeEmail, Token);
        var token = hash is null ? null : await tokens.FindAsync(unit, TokenPurpose.ChangeEmail, hash, cancellationToken);
        Problem = token?.NewEmail is null ? LinkProblem.Unknown
            : token.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? LinkProblem.Expired
            : null;
        NewEmail = token?.NewEmail ?? "";
        return token;
    }

    private PageResult Refused() => this.Answer(Problem!.Value);
}
