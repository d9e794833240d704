using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserPages.Data;
using UserPages.Hosting;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>
/// GET shows the signup form; POST passes the bot checks, validates and registers through the group-committing signup
/// writer, then redirects to "check your inbox" (or, with confirmation off, to the listing).
/// </summary>
[EnableRateLimiting(SignupRateLimiting.Policy)]
public sealed class SignupModel(
    IValidator<SignupInput> validator,
    SignupWriter signups,
    SignupBotCheck botCheck,
    IOptions<SignupOptions> options,
    MailedLinks mailedLinks,
    UserPagesMetrics metrics) : PageModel
{
    [BindProperty]
    public SignupInput Input { get; set; } = new();

    /// <summary>The field people never see; see <see cref="SignupBotCheck"/>.</summary>
    [BindProperty(Name = SignupBotCheck.HoneypotField)]
    public string? Honeypot { get; set; }

    /// <summary>The form's signed render time; see <see cref="SignupBotCheck"/>.</summary>
    [BindProperty(Name = SignupBotCheck.StampField)]
    public string? FormStamp { get; set; }

    public void OnGet() => FormStamp = botCheck.Stamp();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (botCheck.Refusal(Honeypot, FormStamp) is not null)
        {
            return AsIfStored();
        }

        Input = Input.Normalized();
        var validation = await validator.ValidateAsync(Input, cancellationToken);
        validation.AddToModelState(ModelState, nameof(Input));
        if (ModelState.ErrorCount > 0)
        {
            metrics.SignupRefused(SignupRefusal.Invalid);
            return Form(StatusCodes.Status400BadRequest);
        }

        var result = await signups.AddAsync(
            new SignupRequest(new NewUser(Input.Username!, Input.Email!), SignupRateLimiting.ClientAddress(HttpContext)), cancellationToken);
        switch (result.Outcome)
        {
            case SignupOutcome.UsernameTaken:
                metrics.SignupRefused(SignupRefusal.Taken);
                ModelState.AddModelError($"{nameof(Input)}.{nameof(SignupInput.Username)}", options.Value.RequireConfirmedEmail
                    ? "That username is taken. Try another one. If you signed up with it a moment ago, the link to confirm it is in your inbox."
                    : "That username is taken. Try another one.");
                return Form(StatusCodes.Status409Conflict);
            case SignupOutcome.EmailTaken:
                metrics.SignupRefused(SignupRefusal.Taken);
                ModelState.AddModelError($"{nameof(Input)}.{nameof(SignupInput.Email)}", "That email address is already registered.");
                return Form(StatusCodes.Status409Conflict);
            case SignupOutcome.TooManyMails:
                metrics.SignupRefused(SignupRefusal.RateLimited);
                return TooManyMails.Answer(HttpContext, options.Value.MailWindow);
            case SignupOutcome.TooManyNewEntries:
                metrics.SignupRefused(SignupRefusal.NewEntryCeiling);
                return NewEntryCeiling.Answer(HttpContext);
            case SignupOutcome.CheckInbox:
                // The same answer whether the address is new or already has an entry: only its owner learns which.
                metrics.SignupPending();
                TempData[CheckInboxModel.MailedLinkKey] = mailedLinks.Shown(result.MailedLink);
                return RedirectToPage("CheckInbox");
        }

        metrics.SignupCreated();

        // Only the listing declares the property: a page that declared it too would use the message up unseen.
        TempData[nameof(ListingModel.Welcome)] = $"Welcome, {Input.Username}! Your account was created.";
        return RedirectToPage("Listing");
    }

    /// <summary>True when the field has an error to show (and so is <c>aria-invalid</c>).</summary>
    public bool HasError(string field) =>
        ModelState.TryGetValue($"{nameof(Input)}.{field}", out var entry) && entry.Errors.Count > 0;

    // A bot learns nothing from the answer: the status and the address a stored signup gets. With confirmation off the
    // welcome is left out, as it would be false, and the listing tells anyone the truth anyway.
    private RedirectToPageResult AsIfStored()
    {
        if (!options.Value.RequireConfirmedEmail)
        {
            return RedirectToPage("Listing");
        }

        TempData[CheckInboxModel.MailedLinkKey] = mailedLinks.Shown(null);
        return RedirectToPage("CheckInbox");
    }

    private PageResult Form(int statusCode)
    {
        FormStamp = botCheck.StampForCorrection();
        Honeypot = null;
        var page = Page();
        page.StatusCode = statusCode;
        return page;
    }
}
