using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;
using UserPages.Hosting;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>
/// The confirmation link. Its GET only shows a "Confirm" button, because mail scanners open links; the POST uses the
/// token up, lists the person and redirects to the listing with the welcome.
/// </summary>
[NoReferrer]
public sealed class ConfirmModel(Database database, PendingSignupRepository pending, UserRepository users, TimeProvider clock, UserPagesMetrics metrics) : PageModel
{
    private const string BeforeListing = "listing";

    [BindProperty(SupportsGet = true, Name = EntryMail.TokenKey)]
    public string? Token { get; set; }

    public string Username { get; private set; } = "";

    /// <summary>Why the link does not work, or null when it does.</summary>
    public LinkProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginReadAsync(cancellationToken);
        var signup = await FindAsync(unit, cancellationToken);
        if (Problem is not null)
        {
            return Refused();
        }

        Username = signup!.Username;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        var signup = await FindAsync(unit, cancellationToken);
        if (Problem is not null)
        {
            return Refused();
        }

        Username = signup!.Username;
        if (!await pending.DeleteAsync(unit, signup.Id, cancellationToken))
        {
            // Another request used the link a moment ago.
            Problem = LinkProblem.Used;
            return Refused();
        }

        await unit.SavepointAsync(BeforeListing, cancellationToken);
        var added = await users.AddAsync(unit, new NewUser(signup.Username, signup.Email, clock.GetUtcNow().UtcDateTime), cancellationToken);
        if (!added.Added)
        {
            // Only a rename or an email change that raced this signup can take its name or address: the pending
            // signup is dropped all the same, so the person can sign up again at once.
            await unit.RollbackToSavepointAsync(BeforeListing, cancellationToken);
            await unit.CommitAsync(cancellationToken);
            Problem = added.Conflict == UserField.Username ? LinkProblem.UsernameTaken : LinkProblem.EmailTaken;
            return Refused();
        }

        await unit.CommitAsync(cancellationToken);
        metrics.EntryEvent(EntryEvent.Confirmed);

        // Only the listing declares the property: a page that declared it too would use the message up unseen.
        TempData[nameof(ListingModel.Welcome)] = $"Welcome, {signup.Username}! Your address is confirmed and you are listed.";
        return RedirectToPage("Listing");
    }

    private async Task<PendingSignup?> FindAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        var hash = OneTimeToken.TryHash(TokenPurpose.ConfirmSignup, Token);
        var signup = hash is null ? null : await pending.GetByTokenHashAsync(unit, hash, cancellationToken);
        Problem = signup is null || !OneTimeToken.SameHash(signup.TokenHash, hash!) ? LinkProblem.Unknown
            : signup.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? LinkProblem.Expired
            : null;
        return signup;
    }

    private PageResult Refused() => this.Answer(Problem!.Value);
}
