using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using UserPages.Data;
using UserPages.Health;
using UserPages.Hosting;

namespace UserPages.Pages.Users;

/// <summary>The signup form as posted.</summary>
public sealed class SignupInput
{
    public string? Username { get; set; }

    public string? Email { get; set; }

    /// <summary>
    /// The form as it will be checked and stored: NFKC-normalised (so look-alike compatibility forms fold together)
    /// and trimmed; the email lower-cased.
    /// </summary>
    public SignupInput Normalized() => new()
    {
        Username = Username?.Normalize(NormalizationForm.FormKC).Trim(),
        Email = Email?.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant(),
    };
}

/// <summary>The rules a signup must meet before any insert; the form's HTML attributes mirror them.</summary>
public sealed partial class SignupValidator : AbstractValidator<SignupInput>
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 40;
    public const int EmailMaxLength = 255;

    /// <summary>The allowed username characters, as an HTML <c>pattern</c> (anchored by the browser).</summary>
    public const string UsernameHtmlPattern = @"[A-Za-z0-9._\-]+";

    public SignupValidator()
    {
        RuleFor(input => input.Username).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter a username.")
            .Length(UsernameMinLength, UsernameMaxLength).WithMessage($"A username is {UsernameMinLength} to {UsernameMaxLength} characters long.")
            .Matches(UsernameCharacters()).WithMessage("Use only letters, digits, '.', '_' and '-' in a username.");

        // ASCII only (after NFKC, so full-width forms still pass): a masked address like "a***@exаmple.com" must not
        // hide a Cyrillic look-alike, and no mail we would send needs SMTPUTF8. International domains are written in
        // their xn-- form.
        RuleFor(input => input.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter an email address.")
            .MaximumLength(EmailMaxLength).WithMessage($"An email address is at most {EmailMaxLength} characters long.")
            .Must(email => Ascii.IsValid(email)).WithMessage("Use only plain ASCII characters in an email address (write an international domain in its xn-- form).")
            .Matches(PlausibleEmail()).WithMessage("Enter an email address like name@example.com.");
    }

    [GeneratedRegex(@"\A[A-Za-z0-9._-]+\z")]
    private static partial Regex UsernameCharacters();

    // local@host.domain, the local part exactly what the browser's own <input type=email> accepts (the WHATWG "valid
    // email address": no spaces, quotes, brackets, backslashes or control characters), the domain letters, digits
    // and hyphens in two or more labels.
    [GeneratedRegex(@"\A[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\z")]
    private static partial Regex PlausibleEmail();
}

/// <summary>GET shows the signup form; POST validates, inserts through the group-committing signup writer and redirects to the listing.</summary>
[EnableRateLimiting(SignupRateLimiting.Policy)]
public sealed class NewModel(IValidator<SignupInput> validator, SignupWriter signups, DatabaseOutage outage) : PageModel
{
    [BindProperty]
    public SignupInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input = Input.Normalized();
        var validation = await validator.ValidateAsync(Input, cancellationToken);
        validation.AddToModelState(ModelState, nameof(Input));
        RejectRepeatedFields();
        if (ModelState.ErrorCount > 0)
        {
            return Form(StatusCodes.Status400BadRequest);
        }

        var result = await signups.AddAsync(new NewUser(Input.Username!, Input.Email!), cancellationToken);
        switch (result.Conflict)
        {
            case UserField.Username:
                ModelState.AddModelError($"{nameof(Input)}.{nameof(SignupInput.Username)}", "That username is taken. Try another one.");
                return Form(StatusCodes.Status409Conflict);
            case UserField.Email:
                ModelState.AddModelError($"{nameof(Input)}.{nameof(SignupInput.Email)}", "That email address is already registered.");
                return Form(StatusCodes.Status409Conflict);
        }

        outage.ReportAnswered();
        TempData[FlashMessage.Key] = $"Welcome, {Input.Username}! Your account was created.";
        return RedirectToPage("Index");
    }

    /// <summary>True when the field has an error to show (and so is <c>aria-invalid</c>).</summary>
    public bool HasError(string field) =>
        ModelState.TryGetValue($"{nameof(Input)}.{field}", out var entry) && entry.Errors.Count > 0;

    // Model binding quietly takes the first of two values; a form that sends a field twice was not made by our page.
    private void RejectRepeatedFields()
    {
        foreach (var (field, label) in new[] { (nameof(SignupInput.Username), "username"), (nameof(SignupInput.Email), "email address") })
        {
            if (Request.Form[$"{nameof(Input)}.{field}"].Count > 1)
            {
                ModelState.AddModelError($"{nameof(Input)}.{field}", $"The form sent more than one {label}; reload the page and try again.");
            }
        }
    }

    private PageResult Form(int statusCode)
    {
        var page = Page();
        page.StatusCode = statusCode;
        return page;
    }
}
