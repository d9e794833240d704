using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Hosting;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// Asks for the address and always answers the same: a redirect to "check your inbox". Only when the address has a
/// listed entry is a manage link mailed; the request counts against the mail limits either way.
/// </summary>
public sealed class IndexModel(
    IValidator<ManageLinkInput> validator,
    Database database,
    UserRepository users,
    SignupRegistration registration,
    EntryMail mail,
    MailedLinks mailedLinks,
    IOptions<SignupOptions> options,
    TimeProvider clock) : PageModel
{
    [BindProperty]
    public ManageLinkInput Input { get; set; } = new();

    /// <summary>Why a manage page sent the person here; reading it uses it up.</summary>
    [TempData]
    public string? SessionEnded { get; set; }

    public bool EmailInvalid => ModelState.TryGetValue($"{nameof(Input)}.{nameof(ManageLinkInput.Email)}", out var entry) && entry.Errors.Count > 0;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input = Input.Normalized();
        (await validator.ValidateAsync(Input, cancellationToken)).AddToModelState(ModelState, nameof(Input));
        if (ModelState.ErrorCount > 0)
        {
            var form = Page();
            form.StatusCode = StatusCodes.Status400BadRequest;
            return form;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        Uri? link = null;
        await using (var unit = await database.BeginWriteAsync(cancellationToken))
        {
            if (!await registration.MayMailAsync(unit, Input.Email!, SignupRateLimiting.ClientAddress(HttpContext), now, cancellationToken))
            {
                return TooManyMails.Answer(HttpContext, options.Value.MailWindow);
            }

            if (await users.GetByEmailAsync(unit, Input.Email!, cancellationToken) is { } entry)
            {
                link = await mail.SendManageLinkAsync(unit, entry, now, cancellationToken);
            }

            await unit.CommitAsync(cancellationToken);
        }

        // The same redirect whether or not a mail went out: only the address's owner learns which.
        TempData[nameof(LinkSentModel.MailedLink)] = mailedLinks.Shown(link);
        return RedirectToPage("LinkSent");
    }
}
