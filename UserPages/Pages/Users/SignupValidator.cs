using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;

namespace UserPages.Pages.Users;

/// <summary>The rules a signup must meet before any insert; the form's HTML patterns are a looser copy of them.</summary>
public sealed partial class SignupValidator : AbstractValidator<SignupInput>
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 40;
    public const int EmailMaxLength = 255;

    public const string UsernameCharactersMessage = "Use only letters, digits, '.', '_' and '-' in a username.";
    public const string EmailFormatMessage = "Enter an email address like name@example.com.";

    // The browser refuses only what these rules refuse: the spaces trimmed (\p{Z}) may surround a value, a non-ASCII
    // character is left to the server (NFKC may fold it to ASCII), and so are lengths (the browser counts before both).
    /// <summary>The username characters as an HTML <c>pattern</c> (anchored, v-flag), its refusal <see cref="UsernameCharactersMessage"/>.</summary>
    public const string UsernameHtmlPattern = @"\p{Z}*[A-Za-z0-9._\-\P{ASCII}]+\p{Z}*";

    /// <summary>The plausible email below as an HTML <c>pattern</c>, any non-ASCII value left to the server; its refusal <see cref="EmailFormatMessage"/>.</summary>
    public const string EmailHtmlPattern = @"\p{Z}*(?:[A-Za-z0-9.!#$%&'*+\/=?^_`\{\|\}~\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+|.*\P{ASCII}.*)\p{Z}*";

    public SignupValidator()
    {
        RuleFor(input => input.Username).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter a username.")
            .Length(UsernameMinLength, UsernameMaxLength).WithMessage($"A username is {UsernameMinLength} to {UsernameMaxLength} characters long.")
            .Matches(UsernameCharacters()).WithMessage(UsernameCharactersMessage);

        // ASCII only (after NFKC, so full-width forms still pass): a masked address like "a***@exаmple.com" must not
        // hide a Cyrillic look-alike, and no mail we would send needs SMTPUTF8. International domains are written in
        // their xn-- form.
        RuleFor(input => input.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter an email address.")
            .MaximumLength(EmailMaxLength).WithMessage($"An email address is at most {EmailMaxLength} characters long.")
            .Must(email => Ascii.IsValid(email)).WithMessage("Use only plain ASCII characters in an email address (write an international domain in its xn-- form).")
            .Matches(PlausibleEmail()).WithMessage(EmailFormatMessage);
    }

    [GeneratedRegex(@"\A[A-Za-z0-9._-]+\z")]
    private static partial Regex UsernameCharacters();

    // local@host.domain, the local part exactly what the browser's own <input type=email> accepts (the WHATWG "valid
    // email address": no spaces, quotes, brackets, backslashes or control characters), the domain letters, digits
    // and hyphens in two or more labels.
    [GeneratedRegex(@"\A[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\z")]
    private static partial Regex PlausibleEmail();
}
