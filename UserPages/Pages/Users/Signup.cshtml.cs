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
/// GET shows the signup form; POST validates and registers through the group-committing signup writer, then
/// redirects to "check your inbox" (or, with confirmation off, to the listing).
/// </summary>
[EnableRateLimiting(SignupRateLimiting.Policy)]
public sealed class SignupModel(
    IValidator<SignupInput> validator, SignupWriter signups, IOptions<SignupOptions> options, MailedLinks mailedLinks, UserPagesMetrics metrics) : PageModel
{
    [BindProperty]
    public SignupInput Input { get; set; } = new();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
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

    private PageResult Form(int statusCode)
    {
        var page = Page();
        page.StatusCode = statusCode;
        return page;
    }
}
