using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;
using UserPages.Hosting;
using UserPages.Telemetry;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// The manage link. Its GET only shows a "Manage my entry" button, because mail scanners open links; the POST uses
/// the token up and opens the manage session.
/// </summary>
[NoReferrer]
public sealed class OpenModel(Database database, EntryTokenRepository tokens, TimeProvider clock, UserPagesMetrics metrics) : PageModel
{
    [BindProperty(SupportsGet = true, Name = EntryMail.TokenKey)]
    public string? Token { get; set; }

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

        await unit.CommitAsync(cancellationToken);
        await ManageSession.OpenAsync(HttpContext, token.UserId);
        metrics.EntryEvent(EntryEvent.ManageOpened);
        return RedirectToPage("Entry");
    }

    private async Task<EntryToken?> FindAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        var hash = OneTimeToken.TryHash(TokenPurpose.Manage, Token);
        var token = hash is null ? null : await tokens.FindAsync(unit, TokenPurpose.Manage, hash, cancellationToken);
        Problem = token is null ? LinkProblem.Unknown
            : token.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? LinkProblem.Expired
            : null;
        return token;
    }

    private PageResult Refused() => this.Answer(Problem!.Value);
}
