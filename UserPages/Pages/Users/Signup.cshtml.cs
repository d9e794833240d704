using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using UserPages.Data;
using UserPages.Hosting;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>GET shows the signup form; POST validates, inserts through the group-committing signup writer and redirects to the listing.</summary>
[EnableRateLimiting(SignupRateLimiting.Policy)]
public sealed class SignupModel(IValidator<SignupInput> validator, SignupWriter signups, UserPagesMetrics metrics) : PageModel
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

        var result = await signups.AddAsync(new NewUser(Input.Username!, Input.Email!), cancellationToken);
        if (!result.Added)
        {
            metrics.SignupRefused(SignupRefusal.Taken);
        }

        switch (result.Conflict)
        {
            case UserField.Username:
                ModelState.AddModelError($"{nameof(Input)}.{nameof(SignupInput.Username)}", "That username is taken. Try another one.");
                return Form(StatusCodes.Status409Conflict);
            case UserField.Email:
                ModelState.AddModelError($"{nameof(Input)}.{nameof(SignupInput.Email)}", "That email address is already registered.");
                return Form(StatusCodes.Status409Conflict);
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
