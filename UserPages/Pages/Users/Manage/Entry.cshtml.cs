using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Hosting;
using UserPages.Telemetry;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// The entry in a manage session: change the username, ask to move to another address, download the data, delete.
/// Every form carries the row's version; an edit against a changed row answers 409 with the current values.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[NoReferrer]
public sealed class EntryModel(
    Database database,
    UserRepository users,
    PendingSignupRepository pending,
    SignupRegistration registration,
    EntryMail mail,
    MailedLinks mailedLinks,
    IValidator<RenameInput> renameRules,
    IValidator<EmailChangeInput> emailRules,
    IOptions<SignupOptions> options,
    TimeProvider clock,
    UserPagesMetrics metrics) : PageModel
{
    [BindProperty]
    public RenameInput Rename { get; set; } = new();

    [BindProperty]
    public EmailChangeInput EmailChange { get; set; } = new();

    /// <summary>The version of the row the forms were made against.</summary>
    [BindProperty]
    public int RowVersion { get; set; }

    /// <summary>What the last change came to, after its redirect; reading it uses it up.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>The confirmation link just mailed, in Development with the pickup folder only (see <see cref="MailedLinks"/>).</summary>
    [TempData]
    public string? MailedLink { get; set; }

    /// <summary>The entry as stored now.</summary>
    public User Entry { get; private set; } = new();

    /// <summary>True when a form was sent against a version the row has left: the page shows the current values beside the fields.</summary>
    public bool Changed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ManageSession.EntryIdAsync(HttpContext) is not { } id)
        {
            return ManageSession.Ended(this);
        }

        await using var unit = await database.BeginReadAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return NotFound();
        }

        Entry = entry;
        RowVersion = entry.RowVersion;
        Rename = new RenameInput { Username = entry.Username };
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(CancellationToken cancellationToken)
    {
        if (await ManageSession.EntryIdAsync(HttpContext) is not { } id)
        {
            return ManageSession.Ended(this);
        }

        Rename = Rename.Normalized();
        (await renameRules.ValidateAsync(Rename, cancellationToken)).AddToModelState(ModelState, nameof(Rename));
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return NotFound();
        }

        Entry = entry;
        if (ModelState.ErrorCount > 0)
        {
            return Form(StatusCodes.Status400BadRequest);
        }

        if (entry.RowVersion != RowVersion)
        {
            return ChangedMeanwhile(entry);
        }

        var username = Rename.Username!;
        // A pending signup holds its name too; the entry's own name in another letter case is its own to take.
        if (!string.Equals(username, entry.Username, StringComparison.OrdinalIgnoreCase) && await pending.IsUsernameKnownAsync(unit, username, cancellationToken))
        {
            return UsernameTaken();
        }

        switch (await users.RenameAsync(unit, id, RowVersion, username, cancellationToken))
        {
            case EntryChange.Saved:
                await unit.CommitAsync(cancellationToken);
                metrics.EntryEvent(EntryEvent.Renamed);
                Notice = $"Your username is now {username}.";
                return RedirectToPage();
            case EntryChange.Taken:
                return UsernameTaken();
            case EntryChange.Gone:
                return NotFound();
            default:
                return ChangedMeanwhile(await users.GetByIdAsync(unit, id, cancellationToken) ?? entry);
        }
    }

    public async Task<IActionResult> OnPostEmailAsync(CancellationToken cancellationToken)
    {
        if (await ManageSession.EntryIdAsync(HttpContext) is not { } id)
        {
            return ManageSession.Ended(this);
        }

        EmailChange = EmailChange.Normalized();
        (await emailRules.ValidateAsync(EmailChange, cancellationToken)).AddToModelState(ModelState, nameof(EmailChange));
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } entry)
        {
            return NotFound();
        }

        Entry = entry;
        Rename = new RenameInput { Username = entry.Username };
        var email = EmailChange.Email!;
        if (ModelState.ErrorCount == 0 && email == entry.Email)
        {
            ModelState.AddModelError($"{nameof(EmailChange)}.{nameof(EmailChangeInput.Email)}", "That is the address your entry has already.");
        }

        if (ModelState.ErrorCount > 0)
        {
            return Form(StatusCodes.Status400BadRequest);
        }

        if (entry.RowVersion != RowVersion)
        {
            return ChangedMeanwhile(entry);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (!await registration.MayMailAsync(unit, email, SignupRateLimiting.ClientAddress(HttpContext), now, cancellationToken))
        {
            return TooManyMails.Answer(HttpContext, options.Value.MailWindow);
        }

        // An address with an entry of its own, listed or pending, gets a notice instead of a link; this page answers
        // the same either way, so a session cannot probe which addresses are registered.
        Uri? link = null;
        if (await pending.IsEmailKnownAsync(unit, email, cancellationToken))
        {
            await mail.SendNewAddressHasEntryAsync(unit, email, cancellationToken);
        }
        else
        {
            link = await mail.SendConfirmNewEmailAsync(unit, entry, email, now, cancellationToken);
        }

        await mail.SendEmailChangeNoticeAsync(unit, entry, email, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        Notice = $"We sent a link to {email}. Your entry moves there once you open it and press \"Use this address\"; until then it keeps {entry.Email}.";
        MailedLink = mailedLinks.Shown(link);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await ManageSession.CloseAsync(HttpContext);
        return RedirectToPage("/Users/Listing");
    }

    /// <summary>True when the field has an error to show (and so is <c>aria-invalid</c>).</summary>
    public bool HasError(string field) => ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0;

    private PageResult UsernameTaken()
    {
        ModelState.AddModelError($"{nameof(Rename)}.{nameof(RenameInput.Username)}", "That username is taken. Try another one.");
        return Form(StatusCodes.Status409Conflict);
    }

    // As in the EF Core concurrency tutorial: the current values beside the fields, and the forms now carry the
    // current version, so sending again replaces them knowingly.
    private PageResult ChangedMeanwhile(User current)
    {
        metrics.EntryEvent(EntryEvent.Conflict);
        Entry = current;
        RowVersion = current.RowVersion;
        Changed = true;
        return Form(StatusCodes.Status409Conflict);
    }

    private PageResult Form(int statusCode)
    {
        var page = Page();
        page.StatusCode = statusCode;
        return page;
    }
}
